import type { Host } from './host.js';

/** Who caused an invocation, or a change recorded in an event. */
export interface PluginActor {
  readonly type: 'member' | 'api_key' | 'plugin' | 'system';
  readonly id: string;
  readonly name: string;
  /** For a plugin acting in an event handler: how many plugin event handlers led to this change. */
  readonly chain?: number;
}

/**
 * What every handler receives first. A fresh, frozen object per invocation: keep nothing from it
 * beyond the invocation — host calls made after the handler finished are refused.
 */
export interface PluginContext {
  /** The workspace the handler runs for; contexts never cross workspaces. */
  readonly workspace: { readonly id: string };
  /**
   * The member or API key calling a route; for event handlers, jobs and hooks the plugin itself (with
   * `chain` in event handlers). Who caused an event is the event's own `actor`.
   */
  readonly actor: PluginActor;
  /** The host API, limited to what the admin granted. */
  readonly host: Host;
}

/** What a route handler receives: the matched path parameters, the query string and the JSON body. */
export interface RouteInput<Body = unknown> {
  /** Path parameters by name (`/summary/:id` → `{ id }`). */
  readonly params: Readonly<Record<string, string>>;
  /** The query string, parsed (a repeated key holds an array). */
  readonly query: Readonly<Record<string, string | string[]>>;
  /**
   * The request body as JSON, or null when there is none. `unknown` until checked: declare the shape you
   * expect (`RouteInput<{ title?: unknown }>`) and narrow it, since callers can send anything.
   */
  readonly body: Body;
}

/**
 * An event as the bus delivers it. Delivery is at least once: use `id` to make a handler idempotent.
 */
export interface PluginEvent<Payload extends Record<string, unknown> = Record<string, unknown>> {
  /** The idempotency key. */
  readonly id: string;
  /** The event's global order. */
  readonly position: number;
  readonly workspace_id: string;
  /** e.g. `record.created` or `<pluginId>.<name>`. */
  readonly type: string;
  /** The object of a record or metadata event; null otherwise. */
  readonly object: string | null;
  /** The record of a record event; null otherwise. */
  readonly record_id: string | null;
  readonly actor: PluginActor | null;
  /** ISO 8601. */
  readonly occurred_at: string;
  /**
   * Record events: `{ record }`; `record.updated` adds `changed_fields` and `before`/`after` holding
   * only the changed fields. Plugin events: what the emitter passed.
   */
  readonly payload: Payload;
}

/** What a job handler receives. */
export interface JobInput {
  /** The job's name from the manifest. */
  readonly job: string;
  /** The schedule slot being run (ISO 8601, UTC); runs once per slot across all kernel processes. */
  readonly scheduled_for: string;
}
