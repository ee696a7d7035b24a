import t from 'tap';
import { recordingHost, rejection, route, routesPlugin, sandbox } from './fixtures/helpers.js';

/** ECMAScript and V8 globals of a fresh isolated-vm context (Node 20's V8), minus what the bootstrap removes. */
const STANDARD_GLOBALS = [
  'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date',
  'Error', 'EvalError', 'FinalizationRegistry', 'Float32Array', 'Float64Array', 'Function', 'Infinity', 'Int16Array',
  'Int32Array', 'Int8Array', 'Intl', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError',
  'ReferenceError', 'Reflect', 'RegExp', 'Set', 'String', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array',
  'Uint32Array', 'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'console', 'decodeURI',
  'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat',
  'parseInt', 'undefined', 'unescape',
];

t.test('plugin code finds no process, require, timers or Node globals, however it looks', async (t) => {
  const box = sandbox(t, routesPlugin(`
    globals: () => ['process', 'require', 'module', 'exports', 'Buffer', 'global', 'setTimeout', 'setInterval',
      'setImmediate', 'clearTimeout', 'queueMicrotask', 'fetch', 'structuredClone', 'WebAssembly', 'SharedArrayBuffer',
      'Atomics', 'ivm', '$0', 'bridge', '__mosaicBridge'].map((name) => [name, typeof globalThis[name]]),
    ctorChain: function () {
      const attempts = [
        () => this.constructor.constructor('return process')(),
        () => ({}).constructor.constructor('return require')(),
        (ctx) => ctx.constructor.constructor('return process.mainModule')(),
        (ctx, input) => input.constructor.constructor('return globalThis.process || Function("return process")()')(),
        () => Function('return this')().process.env,
        () => (async () => {}).constructor('return process')(),
        () => eval('require("fs")'),
      ];
      const [ctx, input] = arguments;
      return Promise.all(attempts.map(async (attempt) => { try { return 'escaped: ' + typeof (await attempt(ctx, input)); } catch (e) { return e.name + ': ' + e.message; } }));
    },
    globalObject: () => {
      const g = Function('return this')();
      return { same: g === globalThis, names: Object.getOwnPropertyNames(g).sort(), symbols: Object.getOwnPropertySymbols(g).map(String) };
    },
    dynamicImport: async () => {
      const out = [];
      for (const spec of ['fs', 'node:child_process', 'data:text/javascript,export default 1']) {
        try { await import(spec); out.push('imported ' + spec); } catch (e) { out.push('refused'); }
      }
      return out;
    },`));
  for (const [name, type] of (await route(box, 'globals')) as [string, string][]) t.equal(type, 'undefined', `no ${name}`);
  for (const outcome of (await route(box, 'ctorChain')) as string[]) {
    t.notMatch(outcome, /^escaped/, outcome);
    t.match(outcome, /^(ReferenceError: (process|require) is not defined|TypeError: Cannot read properties of undefined)/);
  }
  const global = (await route(box, 'globalObject')) as { same: boolean; names: string[]; symbols: string[] };
  t.ok(global.same, 'Function("return this")() is the isolate global, nothing else');
  t.same(global.names.filter((n) => !STANDARD_GLOBALS.includes(n)), ['__mosaicPlugin'], 'nothing beyond ECMAScript, console and the plugin');
  t.same(await route(box, 'dynamicImport'), ['refused', 'refused', 'refused'], 'import() loads nothing');
});

t.test('WebAssembly, SharedArrayBuffer and Atomics are gone before plugin code runs', async (t) => {
  const box = sandbox(t, routesPlugin(`
    probe: () => ({
      atLoad, now: [typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics],
      viaGlobal: ['WebAssembly', 'SharedArrayBuffer', 'Atomics'].map((n) => Object.getOwnPropertyDescriptor(Function('return this')(), n) === undefined),
      wasm: (() => { try { return typeof new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }); } catch (e) { return e.name; } })(),
    }),`, 'const atLoad = [typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics];'));
  t.same(await route(box, 'probe'), {
    atLoad: ['undefined', 'undefined', 'undefined'],
    now: ['undefined', 'undefined', 'undefined'],
    viaGlobal: [true, true, true],
    wasm: 'ReferenceError',
  });
});

t.test('no isolated-vm Reference (or any other host object) is reachable from the global object or ctx', async (t) => {
  const box = sandbox(t, routesPlugin(`
    walk: (ctx, input) => {
      const seen = new Set();
      const queue = [globalThis, ctx, input, ctx.host.records, ctx.host.records.find];
      const suspicious = [];
      const hostNames = ['Reference', 'ExternalCopy', 'Isolate', 'Context', 'Script', 'Callback', 'NativeModule',
        'SharedArrayBuffer', 'Memory', 'Instance', 'Module'];
      while (queue.length) {
        const value = queue.shift();
        if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
        seen.add(value);
        let proto = null;
        try { proto = Object.getPrototypeOf(value); } catch {}
        if (proto) {
          queue.push(proto);
          const protoKeys = Object.getOwnPropertyNames(proto);
          if (protoKeys.includes('applySync') || protoKeys.includes('derefInto') || protoKeys.includes('copyInto')) suspicious.push('reference-like');
        }
        let keys = [];
        try { keys = Reflect.ownKeys(value); } catch {}
        for (const key of keys) {
          let descriptor;
          try { descriptor = Object.getOwnPropertyDescriptor(value, key); } catch { continue; }
          if (!descriptor) continue;
          if (key === 'constructor' && typeof descriptor.value === 'function' && hostNames.includes(descriptor.value.name)) suspicious.push(descriptor.value.name);
          for (const next of [descriptor.value, descriptor.get, descriptor.set]) if (next !== undefined) queue.push(next);
          if (descriptor.get) { try { queue.push(descriptor.get.call(value)); } catch {} }
        }
      }
      return { visited: seen.size, suspicious };
    },`));
  const walk = (await route(box, 'walk', { some: { nested: ['input'] } })) as { visited: number; suspicious: string[] };
  t.ok(walk.visited > 500, `walked ${walk.visited} objects`);
  t.same(walk.suspicious, [], 'no Reference, isolate handle, SharedArrayBuffer or WebAssembly object');
});

t.test('the bootstrap is hidden from caller chains and V8 call sites', async (t) => {
  const box = sandbox(t, routesPlugin(`
    caller: function sloppy() { return [sloppy.caller === null, arguments.callee.caller === null]; },
    callsites: () => {
      const original = Error.prepareStackTrace;
      Error.prepareStackTrace = (_, sites) => sites.map((s) => ({ file: s.getFileName(), fn: typeof s.getFunction(), self: typeof s.getThis() }));
      try { return new Error('probe').stack; } finally { Error.prepareStackTrace = original; }
    },
    stack: () => { try { null.x; } catch (e) { return e.stack; } },`));
  t.same(await route(box, 'caller'), [true, true], 'fn.caller never yields the bootstrap');
  const sites = (await route(box, 'callsites')) as { file: string; fn: string; self: string }[];
  const boot = sites.filter((s) => s.file === 'mosaic:bootstrap');
  t.ok(boot.length > 0, 'the bootstrap frame is on the stack');
  for (const site of boot) t.same([site.fn, site.self], ['undefined', 'undefined'], 'but its function and receiver are not exposed');
  for (const site of sites) t.notMatch(String(site.file), /^\/|file:|node_modules/, `no host file in ${site.file}`);
  t.notMatch(String(await route(box, 'stack')), /\/work|file:|node_modules|\.ts:/, 'stack traces show only sandbox frames');
});

t.test('prototype tricks stay inside: host values are fresh copies and nothing leaks back', async (t) => {
  const box = sandbox(t, routesPlugin(`
    pollute: async (ctx) => {
      const fromHost = await ctx.host.records.get('company');
      Object.prototype.polluted = 'inside';
      Array.prototype.evil = () => 'evil';
      Object.getPrototypeOf(fromHost).hostPolluted = true;
      fromHost.name = 'changed inside';
      JSON.stringify = () => '"forged"';
      JSON.parse = () => ({ forged: true });
      String.prototype.slice = () => 'forged';
      Object.defineProperty(Object.prototype, 'ok', { get() { return true; }, configurable: true });
      Promise.prototype.then = function () { throw new Error('hijacked then'); };
      return { seenInside: fromHost, protoKey: JSON.parse('{"__proto__": {"isAdmin": true}}') };
    },
    after: async (ctx) => ({ again: await ctx.host.records.get('company'), polluted: ({}).polluted }),
    proto: () => JSON.parse('{"__proto__": {"isAdmin": true}, "name": "x"}'),`));
  const hostValue = { name: 'Acme', list: [1] };
  const { host } = recordingHost(() => hostValue);
  await route(box, 'pollute', {}, { host });
  t.same(hostValue, { name: 'Acme', list: [1] }, 'the host object never changed');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'host Object.prototype untouched');
  t.equal(({} as Record<string, unknown>).hostPolluted, undefined);
  t.equal(([] as unknown as Record<string, unknown>).evil, undefined, 'host Array.prototype untouched');
  t.equal(JSON.stringify({ a: 1 }), '{"a":1}', 'host JSON untouched');
  const after = (await route(box, 'after', {}, { host })) as Record<string, unknown>;
  t.same(after.again, { name: 'Acme', list: [1] }, 'the bootstrap kept its own JSON and still copies correctly');
  t.equal(after.polluted, 'inside', 'the pollution is real, but confined to this workspace context');
  t.same(await route(box, 'after', {}, { host, workspaceId: 'ws_other' }), { again: { name: 'Acme', list: [1] } }, 'another workspace sees none of it');
  const proto = (await route(box, 'proto', {}, { workspaceId: 'ws_clean' })) as Record<string, unknown>;
  t.equal(proto.isAdmin, undefined, 'a "__proto__" key from the plugin stays a plain own key on the host');
  t.equal(Object.getPrototypeOf(proto), Object.prototype);
  t.equal(({} as Record<string, unknown>).isAdmin, undefined);
});

t.test('getters, toJSON and proxies on a returned value run inside the isolate; only JSON text crosses', async (t) => {
  let hostSideEffects = 0;
  const box = sandbox(t, routesPlugin(`
    getter: () => ({ get secret() { return 'computed inside'; } }),
    toJSON: () => ({ toJSON() { return { replaced: true }; } }),
    proxy: () => new Proxy({}, {
      ownKeys: () => ['a'],
      getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }),
      get: (_, key) => key === 'toJSON' ? undefined : 'trapped',
    }),
    throwingProxy: () => new Proxy({}, { ownKeys() { throw new Error('trap says no'); } }),
    fn: () => () => 1,
    sym: () => Symbol('x'),
    nothing: () => undefined,
    bigint: () => 10n,
    cycle: () => { const a = {}; a.self = a; return a; },
    date: () => ({ when: new Date(0) }),`));
  t.same(await route(box, 'getter'), { secret: 'computed inside' });
  t.same(await route(box, 'toJSON'), { replaced: true });
  t.same(await route(box, 'proxy'), { a: 'trapped' });
  t.match((await rejection(route(box, 'throwingProxy'))).message, /trap says no/);
  t.equal(await route(box, 'fn'), null);
  t.equal(await route(box, 'sym'), null);
  t.equal(await route(box, 'nothing'), null);
  t.equal((await rejection(route(box, 'bigint'))).code, 'MOSAIC_ERR_PLUGIN_ERROR');
  t.match((await rejection(route(box, 'cycle'))).message, /circular/);
  t.same(await route(box, 'date'), { when: '1970-01-01T00:00:00.000Z' });
  t.equal(hostSideEffects, 0);
});
