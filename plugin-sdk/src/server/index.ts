/**
 * Plugin server code: `definePlugin`, `respond`, `PluginError` and the types of handlers, their inputs
 * and the host API. Everything here runs inside the kernel's sandbox, so it uses no Node API, no timers
 * and imports nothing at run time beyond this folder; the CLI bundles this folder into a plugin's
 * server bundle when it imports `@mosaic/plugin-sdk`.
 */
export {
  definePlugin,
  type DefinedPlugin,
  type EventHandler,
  type JobHandler,
  type PluginDefinition,
  type PluginHooks,
  type RouteHandler,
} from './define.js';
export { respond, isPluginResponse, RESPONSE_MARK, type JsonResponseInit, type PluginResponse, type TextResponseInit } from './respond.js';
export { PluginError, isPluginError } from './plugin-error.js';
export type { JobInput, PluginActor, PluginContext, PluginEvent, RouteInput } from './context.js';
export type {
  AggregateAnswer,
  AggregateQuery,
  EventsHost,
  FindQuery,
  Host,
  HttpHost,
  HttpRequestInit,
  HttpResponse,
  JsonValue,
  KvHost,
  KvPage,
  LogHost,
  MergeOptions,
  MergeResult,
  PluginRecord,
  RecordInput,
  RecordPage,
  RecordsHost,
  SecretsHost,
  SettingsHost,
} from './host.js';
export type { ImportInfo, ImportObject, ImportRowError, ImportStart, ImportsHost, PreparedImport } from './imports-host.js';
