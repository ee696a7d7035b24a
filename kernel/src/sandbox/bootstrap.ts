/**
 * The code that runs first in every workspace context, before the plugin's bundle. It is the only code in
 * the isolate that holds the bridge `Reference`, which it receives as a closure argument (`$0`), never as
 * a global, so plugin code has no path to it.
 *
 * Rules for the code below, because plugin code runs in the same realm afterwards and may rewrite any
 * global or prototype:
 * - every intrinsic it uses later is captured now (`JSON.parse`, `Object.defineProperty`, …);
 * - objects read by native code (isolated-vm options, property descriptors, proxy handlers) have a null
 *   prototype, so a getter planted on `Object.prototype` cannot answer for them;
 * - no iterators, spreads of arrays, regular expressions or prototype methods after plugin code ran;
 * - strict mode throughout, so `fn.caller`, `arguments.callee` and V8 call sites never hand a plugin one
 *   of these functions or their receivers.
 * What the plugin can still tamper with is its own output, and the host re-checks every byte of that.
 *
 * Protocol with the host (see `outcome.ts`): the invoke function resolves to one string —
 * `R<json>` result, `E<json>` handler error `{message, code}`, `L<length>` result too long (so a huge
 * string is never copied out), `M` no such handler. Host replies to bridge calls are
 * `{"ok":true,"value":…}` or `{"ok":false,"code":…,"message":…}`.
 */
export const BOOTSTRAP_SOURCE = String.raw`'use strict';
const bridge = $0;
const g = globalThis;
const stringify = JSON.stringify;
const parse = JSON.parse;
const freeze = Object.freeze;
const create = Object.create;
const hasOwn = Object.hasOwn;
const defineProperty = Object.defineProperty;
const reflectApply = Reflect.apply;
const stringSlice = String.prototype.slice;
const ErrorCtor = Error;
const ProxyCtor = Proxy;

// Holes in isolated-vm's containment: WebAssembly memory is not counted by the isolate's memory limit,
// and a SharedArrayBuffer stays shared with whoever receives a copy. Atomics is useless without it.
delete g.WebAssembly;
delete g.SharedArrayBuffer;
delete g.Atomics;
if (typeof g.WebAssembly !== 'undefined' || typeof g.SharedArrayBuffer !== 'undefined' || typeof g.Atomics !== 'undefined') {
  throw new ErrorCtor('sandbox bootstrap: could not remove WebAssembly, SharedArrayBuffer or Atomics');
}

const MAX_MESSAGE = 4096;
const BRIDGE_OPTIONS = freeze({ __proto__: null, result: freeze({ __proto__: null, promise: true, copy: true }) });
// Names a proxy must not answer: promise resolution, JSON.stringify and string conversion probe them.
const RESERVED = freeze({ __proto__: null, then: true, toJSON: true, constructor: true, valueOf: true, toString: true });

const codedError = (code, message) => {
  const error = new ErrorCtor(message);
  defineProperty(error, 'code', { __proto__: null, value: code, writable: true, enumerable: true, configurable: true });
  return error;
};

const clip = (text) => (text.length > MAX_MESSAGE ? reflectApply(stringSlice, text, [0, MAX_MESSAGE]) : text);

const readError = (error) => {
  let message = 'The handler threw a value that is not an Error.';
  let code = null;
  try {
    if (typeof error === 'string') message = error;
    else if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
      const m = error.message;
      if (typeof m === 'string') message = m;
      const c = error.code;
      if (typeof c === 'string') code = clip(c);
    }
  } catch {
    message = 'The handler threw an error whose message could not be read.';
  }
  return { __proto__: null, message: clip(message), code };
};

const call = async (invocationId, capability, method, args) => {
  let argsJson;
  try {
    argsJson = stringify(args);
  } catch (error) {
    throw codedError('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host call arguments must be JSON: ' + readError(error).message);
  }
  const reply = await bridge.apply(undefined, [invocationId, capability, method, argsJson], BRIDGE_OPTIONS);
  if (typeof reply !== 'string') throw codedError('MOSAIC_ERR_PLUGIN_CRASHED', 'The host sent no reply.');
  const body = parse(reply);
  if (body.ok === true) return body.value;
  throw codedError(body.code, body.message);
};

const proxyHandler = (get) => freeze({ __proto__: null, get });
const makeHost = (invocationId) =>
  new ProxyCtor(freeze(create(null)), proxyHandler((_, capability) => {
    if (typeof capability !== 'string' || hasOwn(RESERVED, capability)) return undefined;
    return new ProxyCtor(freeze(create(null)), proxyHandler((__, method) => {
      if (typeof method !== 'string' || hasOwn(RESERVED, method)) return undefined;
      return (...args) => call(invocationId, capability, method, args);
    }));
  }));

const isObject = (value) => value !== null && (typeof value === 'object' || typeof value === 'function');

return async (invocationId, kind, name, inputJson, metaJson, maxOutput) => {
  try {
    const plugin = g.__mosaicPlugin;
    const table = isObject(plugin) ? plugin[kind] : undefined;
    const handler = isObject(table) && hasOwn(table, name) ? table[name] : undefined;
    if (typeof handler !== 'function') return 'M';
    const meta = parse(metaJson);
    const ctx = freeze({
      workspace: freeze(meta.workspace),
      actor: freeze(meta.actor),
      host: makeHost(invocationId),
    });
    const result = await handler(ctx, parse(inputJson));
    const out = result === undefined ? 'null' : stringify(result);
    if (typeof out !== 'string') return 'Rnull';
    if (out.length > maxOutput) return 'L' + out.length;
    return 'R' + out;
  } catch (error) {
    return 'E' + stringify(readError(error));
  }
};
`;
