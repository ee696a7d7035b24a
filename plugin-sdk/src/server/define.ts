import type { JobInput, PluginContext, PluginEvent, RouteInput } from './context.js';
import { isPluginError } from './plugin-error.js';
import { respond } from './respond.js';
import { sdkError } from '../sdk-error.js';

// Handlers are declared through a method signature so an author may narrow the input
// (`input: RouteInput<{ title: string }>`): method parameters are checked bivariantly, plain function
// types are not, and a narrower body type is the common, harmless case.

/** A route handler: its result is answered 200 as JSON, unless it is a {@link respond} envelope. */
export type RouteHandler = { bivariant(ctx: PluginContext, input: RouteInput): unknown }['bivariant'];
/** An event handler: returning means delivered; throwing means "retry later". */
export type EventHandler = { bivariant(ctx: PluginContext, event: PluginEvent): unknown }['bivariant'];
/** A job handler: returning means the run succeeded; throwing records it as failed. */
export type JobHandler = { bivariant(ctx: PluginContext, input: JobInput): unknown }['bivariant'];

/**
 * What {@link definePlugin} takes: handler tables keyed by the names the manifest's `routes`, `events`
 * and `jobs` give them, and lifecycle hooks. Each table is optional.
 */
export interface PluginDefinition<R extends string = string, E extends string = string, J extends string = string> {
  readonly routes?: Readonly<Record<R, RouteHandler>>;
  readonly events?: Readonly<Record<E, EventHandler>>;
  readonly jobs?: Readonly<Record<J, JobHandler>>;
  readonly hooks?: PluginHooks;
}

/**
 * Lifecycle hooks, run by the kernel in the workspace being changed. A hook that throws stops that step
 * (install, upgrade or uninstall) with `MOSAIC_ERR_PLUGIN_HOOK_FAILED`, which names the hook and carries
 * the thrown error's code and message. A missing hook is simply skipped.
 */
export interface PluginHooks {
  /** After the plugin's objects and fields exist: seed data, say. */
  onInstall?(ctx: PluginContext): unknown;
  /** After a new version replaced `previous_version` (its schema changes applied). */
  onUpgrade?(ctx: PluginContext, input: { readonly previous_version: string }): unknown;
  /** Before removal; `purge` is true when the admin asked to delete the plugin's data too. */
  onUninstall?(ctx: PluginContext, input: { readonly purge: boolean }): unknown;
}

/**
 * The frozen handler tables {@link definePlugin} assigns to `globalThis.__mosaicPlugin`. Every table is
 * present (empty when not given). Routes are always async: a {@link PluginError} with a status comes
 * back as its {@link respond} envelope.
 */
export interface DefinedPlugin<R extends string = string, E extends string = string, J extends string = string> {
  readonly routes: Readonly<Record<R, (ctx: PluginContext, input: RouteInput) => Promise<unknown>>>;
  readonly events: Readonly<Record<E, (ctx: PluginContext, event: PluginEvent) => unknown>>;
  readonly jobs: Readonly<Record<J, (ctx: PluginContext, input: JobInput) => unknown>>;
  readonly hooks: Readonly<PluginHooks>;
}

const TABLES = ['routes', 'events', 'jobs', 'hooks'] as const;
const HOOKS = new Set(['onInstall', 'onUpgrade', 'onUninstall']);

function tableOf(definition: Record<string, unknown>, key: (typeof TABLES)[number], problems: string[]): Record<string, unknown> {
  const table = definition[key];
  if (table === undefined) return {};
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    problems.push(`${key} must be an object of functions.`);
    return {};
  }
  for (const [name, value] of Object.entries(table)) {
    if (key === 'hooks' && !HOOKS.has(name)) problems.push(`hooks.${name} is not a hook; the hooks are onInstall, onUpgrade and onUninstall.`);
    else if (typeof value !== 'function') problems.push(`${key}.${name} must be a function, got ${value === null ? 'null' : typeof value}.`);
  }
  return table as Record<string, unknown>;
}

/**
 * A thrown {@link PluginError} with a status becomes that response here, in the sandbox, so the kernel
 * needs no extra protocol for it: to the kernel it is an ordinary {@link respond} envelope.
 */
function answeringPluginErrors(name: string, handler: RouteHandler): (ctx: PluginContext, input: RouteInput) => Promise<unknown> {
  const route = async (ctx: PluginContext, input: RouteInput) => {
    try {
      return await handler(ctx, input);
    } catch (error) {
      if (isPluginError(error) && error.status !== undefined) {
        return respond({ status: error.status, body: { error: { code: error.code, message: error.message } } });
      }
      throw error;
    }
  };
  Object.defineProperty(route, 'name', { value: name });
  return route;
}

/**
 * Declares a plugin's server code: its route, event and job handlers by the names the manifest gives
 * them, and its lifecycle hooks. Call it once, at the top level of `src/server.ts`:
 *
 * ```ts
 * export default definePlugin({
 *   routes: { async summary(ctx, { params }) { return ctx.host.records.get('company', params.id); } },
 *   events: { async onCompanyCreated(ctx, event) { await ctx.host.log.info('new company', { id: event.record_id }); } },
 *   jobs: { async nightly(ctx, { scheduled_for }) { … } },
 *   hooks: { async onInstall(ctx) { … } },
 * });
 * ```
 *
 * It checks the tables, freezes them, assigns them to `globalThis.__mosaicPlugin` (where the kernel's
 * sandbox looks them up) and returns them, so tests can call a handler directly with a fake `ctx`.
 * Every handler is `(ctx, input) => result`; see {@link PluginContext}.
 *
 * @throws Error `MOSAIC_ERR_DEFINE_INVALID` listing every problem: an unknown key, a table that is not
 * an object, a handler that is not a function, an unknown hook.
 */
export function definePlugin<R extends string = never, E extends string = never, J extends string = never>(definition: PluginDefinition<R, E, J>): DefinedPlugin<R, E, J> {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw sdkError('MOSAIC_ERR_DEFINE_INVALID', 'definePlugin() takes an object { routes?, events?, jobs?, hooks? }.');
  }
  const raw = definition as Record<string, unknown>;
  const problems = Object.keys(raw)
    .filter((key) => !(TABLES as readonly string[]).includes(key))
    .map((key) => `"${key}" is not a key of definePlugin(); use routes, events, jobs or hooks.`);
  const [routes, events, jobs, hooks] = TABLES.map((key) => tableOf(raw, key, problems)) as [Record<string, RouteHandler>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  if (problems.length > 0) throw sdkError('MOSAIC_ERR_DEFINE_INVALID', `definePlugin(): ${problems.join(' ')}`);

  const wrapped = Object.fromEntries(Object.entries(routes).map(([name, handler]) => [name, answeringPluginErrors(name, handler)]));
  const plugin = Object.freeze({
    routes: Object.freeze(wrapped),
    events: Object.freeze({ ...events }),
    jobs: Object.freeze({ ...jobs }),
    hooks: Object.freeze({ ...hooks }),
  });
  (globalThis as Record<string, unknown>).__mosaicPlugin = plugin;
  return plugin as unknown as DefinedPlugin<R, E, J>;
}
