import type { Access } from '../roles/index.js';

/** Who performed a change, as recorded in `created_by` and in events. */
export interface Actor {
  readonly type: 'member' | 'api_key' | 'plugin' | 'system';
  readonly id: string;
  readonly name: string;
  /**
   * For a plugin acting in an event handler: how many plugin event handlers led to this change (1 for a
   * handler of an event a member caused). Events carry their actor, so the count follows a chain of
   * handlers through the records they write and the events they emit, and the kernel stops delivering
   * to plugins past a limit — a handler that re-triggers itself cannot storm.
   */
  readonly chain?: number;
}

/**
 * The authenticated caller of a request, resolved from a session cookie, an API key, or an OAuth access
 * token (`oauth`: an application acting for a member, at the kernel's protected resources such as `/mcp`).
 */
export interface AuthContext {
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly access: Access;
  /**
   * How the caller proved itself. `oauth` callers speak for a member (`actor.type` is `member`, and
   * `userId`/`memberId` are set) but are bearer credentials: nothing session-only (CSRF, sign-out,
   * switching workspace) applies to them.
   */
  readonly via: 'session' | 'api_key' | 'oauth';
  readonly userId?: string;
  readonly memberId?: string;
  readonly sessionId?: string;
  readonly apiKeyId?: string;
}
