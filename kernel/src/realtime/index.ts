/** Realtime: socket.io push of record and metadata events, permission-filtered per role. */
export { realtimePlugin, REALTIME_SUBSCRIBER, type Realtime } from './plugin.js';
export type {
  ClientToServerEvents,
  InterServerEvents,
  RealtimeError,
  RealtimeServer,
  RealtimeSocket,
  ServerToClientEvents,
  SocketData,
  SubscribeReply,
} from './types.js';
