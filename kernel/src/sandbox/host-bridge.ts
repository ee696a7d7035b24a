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
 *
 * The checks run synchronously and only the host API's own promise is awaited: one `then` per call, no
 * async frame around it. The handler never throws or rejects, so the isolate always gets one reply.
 */
export function createBridgeHandler(options: {
  readonly pluginId: string;
  readonly lookup: (invocationId: number) => BridgeInvocation | undefined;
  readonly log?: SandboxLogger;
}): BridgeHandler {
  // Never throws: it is also the last resort when something below goes wrong.
  const failed = (error: unknown, capability: unknown, method: unknown): string => {
    try {
      if (isMosaicError(error)) return refuse(error.code, error.message);
      options.log?.warn({ err: error, pluginId: options.pluginId, capability, method }, 'plugin host call failed');
    } catch {
      // A logger or an error object that throws; the plugin still gets its reply.
    }
    return refuse('MOSAIC_ERR_INTERNAL', ERROR_CODES.MOSAIC_ERR_INTERNAL.message);
  };
  const handle: BridgeHandler = (workspaceId, invocationId, capability, method, argsJson) => {
    const invocation = typeof invocationId === 'number' ? options.lookup(invocationId) : undefined;
    if (!invocation || invocation.workspaceId !== workspaceId) {
      return refused('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host calls work only while the invocation that received this ctx is running.');
    }
    invocation.hostCalls++;
    if (invocation.hostCalls > invocation.limits.hostCalls) {
      invocation.quotaExceeded = true;
      return refused('MOSAIC_ERR_PLUGIN_HOST_CALLS', `One invocation may make at most ${invocation.limits.hostCalls} host calls.`);
    }
    if (typeof capability !== 'string' || !NAME.test(capability) || typeof method !== 'string' || !NAME.test(method)) {
      return refused('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host capabilities and methods are named with letters, digits and underscores.');
    }
    if (typeof argsJson !== 'string') return refused('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host call arguments must be JSON.');
    const args = parseGuardedJson(argsJson, { maxChars: invocation.limits.hostArgsChars, maxDepth: invocation.limits.jsonDepth });
    if (!args.ok) {
      const why = args.refusal === 'too-long'
        ? `longer than ${invocation.limits.hostArgsChars} characters of JSON`
        : args.refusal === 'too-deep' ? `nested deeper than ${invocation.limits.jsonDepth} levels` : 'not valid JSON';
      return refused('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', `The arguments of ${capability}.${method} are ${why}.`);
    }
    if (!Array.isArray(args.value)) return refused('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host call arguments must be a list.');
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(invocation.host(capability, method, args.value));
    } catch (error) {
      return Promise.resolve(failed(error, capability, method)); // a host API that throws instead of rejecting
    }
    return pending.then(
      (value) => {
        try {
          return answer(value);
        } catch (error) {
          return failed(error, capability, method); // a value JSON cannot hold (BigInt, cycle)
        }
      },
      (error: unknown) => failed(error, capability, method),
    );
  };
  return (workspaceId, invocationId, capability, method, argsJson) => {
    try {
      return handle(workspaceId, invocationId, capability, method, argsJson);
    } catch (error) {
      return Promise.resolve(failed(error, capability, method));
    }
  };
}

/** `{"ok":true,"value":…}` without building the envelope object; `undefined` (and whatever JSON drops) is `null`. */
function answer(value: unknown): string {
  const json = value === undefined ? undefined : JSON.stringify(value);
  return json === undefined ? '{"ok":true,"value":null}' : `{"ok":true,"value":${json}}`;
}

function refuse(code: ErrorCode, message: string): string {
  return JSON.stringify({ ok: false, code, message });
}

function refused(code: ErrorCode, message: string): Promise<string> {
  return Promise.resolve(refuse(code, message));
}
