import type { ApiClient } from '../api/client.js';
import type { ObjectMeta, PluginInfo, SessionInfo } from '../api/types.js';
import type { Realtime } from '../realtime/realtime.js';
import type { Permissions } from './access.js';

/**
 * What the app hands its pages: the API client, the signed-in member and the workspace's data model.
 * Pages receive it as a property (never a global), and the app sets a new object whenever it changes.
 */
export interface ShellContext {
  readonly api: ApiClient;
  readonly session: SessionInfo;
  readonly permissions: Permissions;
  /** Objects the member may read, in sidebar order. */
  readonly objects: readonly ObjectMeta[];
  readonly plugins: readonly PluginInfo[];
  /** Record events pushed by the kernel (another tab, the API, a plugin). */
  readonly realtime: Realtime;
  navigate(path: string): void;
  toast(message: string, kind?: 'info' | 'success' | 'error'): void;
  /** Reloads objects and plugins (after a data model change). */
  reloadMetadata(): Promise<void>;
  /** Reloads the session (after a workspace switch) and the data model. */
  reloadSession(): Promise<void>;
}
