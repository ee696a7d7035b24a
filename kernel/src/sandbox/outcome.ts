import { MosaicError } from '../errors/index.js';
import type { Death } from './isolate-runtime.js';
import { parseGuardedJson } from './json-guard.js';
import type { HandlerKind, SandboxLimits } from './types.js';
import type { BudgetKind } from './watchdog.js';

/** What {@link decodeReply} and the error builders need to know about the call. */
export interface CallInfo {
  readonly pluginId: string;
  readonly kind: HandlerKind;
  readonly handler: string;
  readonly limits: SandboxLimits;
}

/** A handler error envelope is small; anything larger was not written by the bootstrap. */
const ERROR_ENVELOPE = { maxChars: 16 * 1024, maxDepth: 1 };

function where(call: CallInfo): string {
  return `${call.kind} handler "${call.handler}" of plugin "${call.pluginId}"`;
}

/**
 * Turn the bootstrap's reply (see `bootstrap.ts`) into the handler's result, or throw the coded error
 * it stands for. The reply is untrusted: plugin code may have tampered with its own realm, so every
 * branch re-checks length, depth and shape here.
 */
export function decodeReply(reply: unknown, call: CallInfo, quotaExceeded: boolean): unknown {
  if (typeof reply !== 'string' || reply.length === 0) throw crashed(call, 'it sent back no result');
  const tag = reply[0];
  if (tag === 'M') {
    throw new MosaicError('MOSAIC_ERR_PLUGIN_HANDLER_MISSING', `The plugin "${call.pluginId}" has no ${call.kind} handler "${call.handler}".`);
  }
  if (tag === 'L') throw tooLarge(call, reply.slice(1, 20));
  if (tag === 'E') {
    if (quotaExceeded) throw hostCallsError(call);
    const parsed = parseGuardedJson(reply.slice(1), ERROR_ENVELOPE);
    const body = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as Record<string, unknown>) : {};
    const message = typeof body.message === 'string' ? body.message : 'The handler failed.';
    const code = typeof body.code === 'string' ? body.code : undefined;
    throw new MosaicError('MOSAIC_ERR_PLUGIN_ERROR', `The ${where(call)} failed: ${message}`, [
      code === undefined ? { path: `${call.kind}.${call.handler}`, message } : { path: `${call.kind}.${call.handler}`, message, code },
    ]);
  }
  if (tag === 'R') {
    const text = reply.slice(1);
    if (text.length > call.limits.outputChars) throw tooLarge(call, String(text.length));
    const parsed = parseGuardedJson(text, { maxChars: call.limits.outputChars, maxDepth: call.limits.jsonDepth });
    if (parsed.ok) return parsed.value;
    const why = parsed.refusal === 'too-deep' ? `nested deeper than ${call.limits.jsonDepth} levels` : 'not valid JSON';
    throw new MosaicError('MOSAIC_ERR_PLUGIN_OUTPUT_INVALID', `The ${where(call)} returned JSON that is ${why}.`);
  }
  throw crashed(call, 'it sent back a result the kernel does not understand');
}

function tooLarge(call: CallInfo, length: string): MosaicError {
  return new MosaicError(
    'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE',
    `The ${where(call)} returned ${length} characters of JSON; the limit is ${call.limits.outputChars}.`,
  );
}

/** The invocation failed after a host call was refused for the quota. */
export function hostCallsError(call: CallInfo): MosaicError {
  return new MosaicError(
    'MOSAIC_ERR_PLUGIN_HOST_CALLS',
    `The ${where(call)} made more than ${call.limits.hostCalls} host calls in one invocation.`,
  );
}

/** The watchdog stopped the isolate because this call ran out of budget. */
export function timeoutError(call: CallInfo, budget: BudgetKind): MosaicError {
  const what = budget === 'cpu' ? `CPU budget of ${call.limits.cpuMs} ms` : `wall-time budget of ${call.limits.wallMs} ms`;
  return new MosaicError('MOSAIC_ERR_PLUGIN_TIMEOUT', `The ${where(call)} ran past its ${what} and was stopped.`);
}

/** The isolate died under us without the watchdog: its memory limit, or something unexpected. */
export function deathFromRejection(call: CallInfo, error: unknown, isolateDisposed: boolean): MosaicError {
  const message = error instanceof Error ? error.message : '';
  if (isolateDisposed && message.includes('memory limit')) {
    return new MosaicError('MOSAIC_ERR_PLUGIN_MEMORY', `The ${where(call)} ran out of memory and its sandbox was stopped.`);
  }
  return crashed(call, 'its sandbox stopped unexpectedly');
}

/**
 * The error an invocation reports when its isolate died. Invocations that ran past their budget get the
 * timeout; others running in the same isolate at the time were collateral and are told to retry.
 */
export function errorForDeath(death: Death, invocationId: number, call: CallInfo): MosaicError {
  if (death.culprits.size === 0) return death.error;
  return (
    death.culprits.get(invocationId) ??
    crashed(call, 'its sandbox was restarted because another call of the plugin ran past its budget; try again')
  );
}

function crashed(call: CallInfo, why: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_CRASHED', `The ${where(call)} did not finish: ${why}.`);
}
