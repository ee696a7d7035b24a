import type { Access } from '../roles/index.js';

/** Who performed a change, as recorded in `created_by` and in events. */
export interface Actor {
  readonly type: 'member' | 'api_key' | 'plugin' | 'system';
  readonly id: string;
  readonly name: string;
}

/** The authenticated caller of a request, resolved from a session cookie or an API key. */
export interface AuthContext {
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly access: Access;
  readonly via: 'session' | 'api_key';
  readonly userId?: string;
  readonly memberId?: string;
  readonly sessionId?: string;
  readonly apiKeyId?: string;
}
