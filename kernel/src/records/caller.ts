import type { Actor } from '../auth/context.js';
import type { Access } from '../roles/index.js';

/**
 * Who is reading or writing records: the workspace, the actor recorded in `created_by` and events, and
 * the access the records layer enforces. HTTP requests, realtime and the plugin host API all build one.
 */
export interface RecordCaller {
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly access: Access;
}
