export { PluginSandbox } from './plugin-sandbox.js';
export { checkJsonShape, parseGuardedJson, type JsonGuardLimits, type JsonRefusal, type GuardedJson } from './json-guard.js';
export {
  DEFAULT_LIMITS,
  HANDLER_KINDS,
  resolveLimits,
  type HandlerKind,
  type HostBridge,
  type InvokeRequest,
  type PluginSandboxOptions,
  type SandboxLimits,
  type SandboxLogger,
  type SandboxStatus,
} from './types.js';
