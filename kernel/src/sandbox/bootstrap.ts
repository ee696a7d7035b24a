/**
 * The code that runs first in every workspace context, before the plugin's bundle. It is the only code in
 * the isolate that holds the bridge `Reference`, which it receives as a closure argument (`$0`), never as
 * a global, so plugin code has no path to it.
 *
 * Rules for the code below, because plugin code runs in the same realm afterwards and may rewrite any
 * global or prototype:
 * - every intrinsic it uses later is captured now (`JSON.parse`, `Object.defineProperty`, …);
 * - objects read by native code (descriptors, proxy handlers, tables) have a null prototype, so a getter
 *   planted on `Object.prototype` cannot answer for them;
 * - no iterators, spreads of arrays, regular expressions, `.then` or prototype methods after plugin code ran;
 * - strict mode throughout, so `fn.caller`, `arguments.callee` and V8 call sites never hand a plugin one
 *   of these functions or their receivers.
 * What the plugin can still tamper with is its own output, and the host re-checks every byte of that.
 *
 * Nothing crosses as a promise. isolated-vm's `{ result: { promise: true } }` settles a call by running
 * `promise.then(...)` in the isolate, which looks `then` up on the plugin's own `Promise.prototype`: a
 * plugin could take over the resolve callback and hand the host any value (say a 500 MB string that is
 * flattened into the host heap before any check). So both directions are fire-and-forget
 * `applyIgnored` calls carrying only strings and numbers:
 * - isolate → host, through the bridge: `['call', invocationId, callId, capability, method, argsJson]`
 *   and `['done', invocationId, reply]`;
 * - host → isolate, through the function this script returns (held by the host only):
 *   `('invoke', invocationId, kind, name, inputJson, metaJson, maxOutput, maxCalls)` and
 *   `('deliver', callId, replyJson)`.
 * `reply` is `R<json>` result, `E<json>` handler error `{message, code}`, `L<length>` result too long (so
 * a huge string is never copied out) or `M` no such handler. Host replies are `{"ok":true,"value":…}` or
 * `{"ok":false,"code":…,"message":…}`.
 *
 * The bootstrap also gates the flood: it sends at most `maxCalls + 1` calls per invocation (the host
 * refuses the extra one and records the breach) and none once the invocation is done, so a loop of
 * refused calls spins inside the isolate, where the CPU budget ends it, instead of on the host.
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
const PromiseCtor = Promise;

// Holes in isolated-vm's containment: WebAssembly memory is not counted by the isolate's memory limit,
// and a SharedArrayBuffer stays shared with whoever receives a copy. Atomics is useless without it.
delete g.WebAssembly;
delete g.SharedArrayBuffer;
delete g.Atomics;
if (typeof g.WebAssembly !== 'undefined' || typeof g.SharedArrayBuffer !== 'undefined' || typeof g.Atomics !== 'undefined') {
  throw new ErrorCtor('sandbox bootstrap: could not remove WebAssembly, SharedArrayBuffer or Atomics');
}

const MAX_MESSAGE = 4096;
// Names a proxy must not answer: promise resolution, JSON.stringify and string conversion probe them.
const RESERVED = freeze({ __proto__: null, then: true, toJSON: true, constructor: true, valueOf: true, toString: true });
const waiting = create(null); // callId → { resolve, reject }
const budgets = create(null); // invocationId → calls it may still send
let lastCallId = 0;

const send = (message) => {
  try {
    bridge.applyIgnored(undefined, message);
    return true;
  } catch {
    return false; // the host side is going away; the watchdog ends whatever waits
  }
};

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

const call = (invocationId, capability, method, args) => new PromiseCtor((resolve, reject) => {
  const left = budgets[invocationId];
  if (left === undefined) {
    reject(codedError('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host calls work only while the invocation that received this ctx is running.'));
    return;
  }
  if (left <= 0) {
    reject(codedError('MOSAIC_ERR_PLUGIN_HOST_CALLS', 'This invocation has used up its host calls.'));
    return;
  }
  let argsJson;
  try {
    argsJson = stringify(args);
  } catch (error) {
    reject(codedError('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'Host call arguments must be JSON: ' + readError(error).message));
    return;
  }
  budgets[invocationId] = left - 1;
  const callId = ++lastCallId;
  waiting[callId] = { __proto__: null, resolve, reject };
  if (!send(['call', invocationId, callId, capability, method, argsJson])) {
    delete waiting[callId];
    reject(codedError('MOSAIC_ERR_PLUGIN_CRASHED', 'The host is not reachable.'));
  }
});

const deliver = (callId, reply) => {
  const waiter = waiting[callId];
  if (waiter === undefined) return;
  delete waiting[callId];
  let body = null;
  try {
    body = parse(reply);
  } catch {}
  if (body === null || typeof body !== 'object') waiter.reject(codedError('MOSAIC_ERR_PLUGIN_CRASHED', 'The host sent an unreadable reply.'));
  else if (body.ok === true) waiter.resolve(body.value);
  else waiter.reject(codedError(body.code, body.message));
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

const run = async (invocationId, kind, name, inputJson, metaJson, maxOutput) => {
  let reply;
  try {
    const plugin = g.__mosaicPlugin;
    const table = isObject(plugin) ? plugin[kind] : undefined;
    const handler = isObject(table) && hasOwn(table, name) ? table[name] : undefined;
    if (typeof handler !== 'function') {
      reply = 'M';
    } else {
      const meta = parse(metaJson);
      const ctx = freeze({ workspace: freeze(meta.workspace), actor: freeze(meta.actor), host: makeHost(invocationId) });
      const result = await handler(ctx, parse(inputJson));
      const out = result === undefined ? 'null' : stringify(result);
      if (typeof out !== 'string') reply = 'Rnull';
      else if (out.length > maxOutput) reply = 'L' + out.length;
      else reply = 'R' + out;
    }
  } catch (error) {
    reply = 'E' + stringify(readError(error));
  }
  delete budgets[invocationId];
  send(['done', invocationId, reply]);
};

return (op, a, b, c, d, e, f, h) => {
  if (op === 'invoke') {
    budgets[a] = h + 1; // the host refuses the one past the quota, which is how it learns of the breach
    run(a, b, c, d, e, f);
  } else if (op === 'deliver') {
    deliver(a, b);
  }
};
`;
