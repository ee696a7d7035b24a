import { ERROR_CODES, isMosaicError, type ErrorCode } from '../errors/index.js';
import type { BridgeHandler } from './isolate-runtime.js';
import { parseGuardedJson } from './json-guard.js';
import type { HostBridge, SandboxLimits, SandboxLogger } from './types.js';

/** The host's view of one running invocation, as far as its bridge calls are concerned. */
export interface BridgeInvocation {
  readonly id: number;
  readonly workspaceId: string;
  readonly host: HostBridge;
  readonly limits: SandboxLimits;
  /** Calls made so far, refused ones included. */
  hostCalls: number;
  /** Set when a call was refused for the quota, so a failure it causes is reported as such. */
  quotaExceeded: boolean;
}

/** Capability and method names: what the host API's files and functions are called. */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * The host end of the bridge. Everything it receives comes from the isolate and is treated as hostile:
 * the invocation must still be running and belong to the context's workspace, names must be plain
 * identifiers, and the arguments' JSON is size- and depth-checked before it is parsed. Replies are JSON
 * strings; a failure becomes `{code, message}` with no stack, so no host path or frame enters the isolate.
 */
export function createBridgeHandler(options: {
  readonly pluginId: string;
  readonly lookup: (invocationId: number) => BridgeInvocation | undefined;
  readonly log?: SandboxLogger;
}): BridgeHandler {
  const handle: BridgeHandler = async (workspaceId, invocationId, capability, method, argsJson) => {
    const invocation = typeof invocationId === 'number' ? options.lookup(invocationId) : undefined;
    if (!invocation || invocation.workspaceId !== workspaceId) {
      return refuse('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host calls work only while the invocation that received this ctx is running.');
    }
    invocation.hostCalls++;
    if (invocation.hostCalls > invocation.limits.hostCalls) {
      invocation.quotaExceeded = true;
      return refuse('MOSAIC_ERR_PLUGIN_HOST_CALLS', `One invocation may make at most ${invocation.limits.hostCalls} host calls.`);
    }
    if (typeof capability !== 'string' || !NAME.test(capability) || typeof method !== 'string' || !NAME.test(method)) {
      return refuse('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host capabilities and methods are named with letters, digits and underscores.');
    }
    if (typeof argsJson !== 'string') return refuse('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host call arguments must be JSON.');
    const args = parseGuardedJson(argsJson, { maxChars: invocation.limits.hostArgsChars, maxDepth: invocation.limits.jsonDepth });
    if (!args.ok) {
      const why = args.refusal === 'too-long'
        ? `longer than ${invocation.limits.hostArgsChars} characters of JSON`
        : args.refusal === 'too-deep' ? `nested deeper than ${invocation.limits.jsonDepth} levels` : 'not valid JSON';
      return refuse('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', `The arguments of ${capability}.${method} are ${why}.`);
    }
    if (!Array.isArray(args.value)) return refuse('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host call arguments must be a list.');
    try {
      const value = await invocation.host(capability, method, args.value);
      return JSON.stringify({ ok: true, value: value === undefined ? null : value });
    } catch (error) {
      if (isMosaicError(error)) return refuse(error.code, error.message);
      options.log?.warn({ err: error, pluginId: options.pluginId, capability, method }, 'plugin host call failed');
      return refuse('MOSAIC_ERR_INTERNAL', ERROR_CODES.MOSAIC_ERR_INTERNAL.message);
    }
  };
  // The isolate waits on every reply; whatever goes wrong above, it gets one.
  return (...args) => handle(...args).catch(() => refuse('MOSAIC_ERR_INTERNAL', ERROR_CODES.MOSAIC_ERR_INTERNAL.message));
}

function refuse(code: ErrorCode, message: string): string {
  return JSON.stringify({ ok: false, code, message });
}
