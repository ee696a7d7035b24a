import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { ModuleOptions } from '../app/services.js';
import { createRealtimeAdapter, type RealtimeAdapter } from './adapter.js';
import { RealtimeConnections } from './connections.js';
import { realtimeDeliverer } from './deliverer.js';
import { Presence } from './presence.js';
import { RoleCache } from './roles.js';
import type { RealtimeServer } from './types.js';

/** The realtime service as other modules (and tests) see it. */
export interface Realtime {
  /** The socket.io server, attached to the kernel's HTTP server at `/socket.io`. */
  readonly io: RealtimeServer;
  /** Which adapter links this process to the others. */
  readonly adapter: RealtimeAdapter['kind'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Realtime push over socket.io (see `realtime/plugin.ts`). */
    readonly realtime: Realtime;
  }
}

/** The stored bus subscriber that feeds realtime, shared by every kernel process. */
export const REALTIME_SUBSCRIBER = 'kernel:realtime';
/** Event types realtime pushes. */
const REALTIME_TYPES = ['record.*', 'object.*', 'field.*'];
/** Client messages are tiny (`subscribe`); a large one is abuse, not a request. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/**
 * Realtime: socket.io on fastify's HTTP server, created here and attached before `listen` (so it works
 * whatever port the kernel later listens on), authenticated like HTTP, with rooms per workspace, role,
 * object and record, and events filtered per role by the deliverer (see `deliverer.ts` for the design
 * across processes, `connections.ts` for how sockets follow role changes).
 */
async function realtime(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const adapter = await createRealtimeAdapter(services.config, services.db.url, services.log);
  const io: RealtimeServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    ...(adapter.adapter ? { adapter: adapter.adapter } : {}),
  });
  let closing = false;
  const close = async () => {
    closing = true;
    await io.close();
  };
  try {
    // Serve only once broadcasts from other processes can reach this one.
    await adapter.ready();
  } catch (err) {
    await close();
    await adapter.close();
    throw err;
  }

  const roles = new RoleCache(services.db.knex, services.invalidation);
  const presence = new Presence(services.db.knex, services.bus.owner, services.invalidation);
  new RealtimeConnections(io, {
    authenticator: app.authenticator,
    metadata: services.metadata,
    roles,
    invalidation: services.invalidation,
    log: services.log,
    trustProxy: services.config.trustProxy,
    peers: adapter.kind !== 'none',
    presence,
  });

  // Every process serves the kind, so whichever holds the subscriber's lease can deliver.
  const deliver = realtimeDeliverer({ io, adapter, roles, metadata: services.metadata, presence, closing: () => closing, log: services.log });
  services.bus.registerKind('realtime', () => deliver);
  await services.bus.ensureSubscriber({ id: REALTIME_SUBSCRIBER, kind: 'realtime', workspaceId: null, filter: { types: REALTIME_TYPES } });

  app.decorate('realtime', { io, adapter: adapter.kind });
  // Open WebSockets keep the HTTP server from closing, and fastify closes the server before it runs
  // onClose hooks: the sockets must go in preClose. The adapter's own connections go in onClose.
  app.addHook('preClose', close);
  app.addHook('onClose', async () => {
    await presence.close();
    await adapter.close();
  });
}

/** The realtime module; register it after the auth plugin, whose authenticator it shares. */
export const realtimePlugin = fp(realtime, { name: 'mosaic-realtime', fastify: '5.x', dependencies: ['mosaic-auth'] });
