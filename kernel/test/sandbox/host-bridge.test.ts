import t from 'tap';
import { MosaicError } from '../../src/errors/index.js';
import type { HostBridge } from '../../src/sandbox/index.js';
import { route, routesPlugin, sandbox } from './fixtures/helpers.js';

/** Each route reports what one host call gave the plugin: its value, or its error's code and message. */
const PROBE = routesPlugin(`
  call: async (ctx, input) => {
    try { const value = await ctx.host.records.find(input.which); return { value: value === undefined ? 'undefined' : value }; }
    catch (e) { return { code: e.code, message: e.message }; }
  },
  twice: async (ctx) => [await ctx.host.records.find('plain'), await ctx.host.records.find('plain')],`);

const host: HostBridge = (_capability, _method, args) => {
  switch (args[0]) {
    case 'plain': return Promise.resolve({ name: 'Acme', tags: ['a'], n: 1.5, none: null });
    case 'undefined': return Promise.resolve(undefined);
    case 'function': return Promise.resolve(() => 1);
    case 'nested-undefined': return Promise.resolve({ a: undefined, b: [undefined] });
    case 'bigint': return Promise.resolve(10n);
    case 'cycle': { const a: Record<string, unknown> = {}; a.self = a; return Promise.resolve(a); }
    case 'sync-throw': throw new Error(`secret at ${process.cwd()}`);
    case 'sync-coded': throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'Not allowed.');
    case 'not-a-promise': return 'plain string' as unknown as Promise<unknown>;
    default: return Promise.reject(new Error('unexpected'));
  }
};

t.test('host values reach the plugin as JSON copies; undefined and functions become null', async (t) => {
  const box = sandbox(t, PROBE);
  const call = (which: string) => route(box, 'call', { which }, { host });
  t.same(await call('plain'), { value: { name: 'Acme', tags: ['a'], n: 1.5, none: null } });
  t.same(await call('undefined'), { value: null });
  t.same(await call('function'), { value: null });
  t.same(await call('nested-undefined'), { value: { b: [null] } });
  t.same(await call('not-a-promise'), { value: 'plain string' }, 'a host API that returns a plain value still answers');
  t.same(await route(box, 'twice', {}, { host }), [{ name: 'Acme', tags: ['a'], n: 1.5, none: null }, { name: 'Acme', tags: ['a'], n: 1.5, none: null }]);
});

t.test('a host value JSON cannot hold, or a host API that throws synchronously, is MOSAIC_ERR_INTERNAL and logged', async (t) => {
  const logged: unknown[] = [];
  const log = { warn: (obj: object) => void logged.push(obj), error: () => {} };
  const box = sandbox(t, PROBE, { log });
  const call = (which: string) => route(box, 'call', { which }, { host }) as Promise<{ code?: string; message?: string }>;
  for (const which of ['bigint', 'cycle', 'sync-throw']) {
    const got = await call(which);
    t.equal(got.code, 'MOSAIC_ERR_INTERNAL', which);
    t.notMatch(JSON.stringify(got), /secret|\/work|BigInt|circular/i, `${which}: no host detail reaches the plugin`);
  }
  t.equal(logged.length, 3, 'each failure is logged on the host');
  t.same(await call('sync-coded'), { code: 'MOSAIC_ERR_FORBIDDEN', message: 'Not allowed.' }, 'a thrown MosaicError keeps its code');
});

t.test('a logger that throws still leaves the plugin with a reply', async (t) => {
  const log = { warn: () => { throw new Error('logger down'); }, error: () => {} };
  const box = sandbox(t, PROBE, { log, limits: { wallMs: 2000 } });
  const started = performance.now();
  const got = (await route(box, 'call', { which: 'sync-throw' }, { host })) as { code?: string };
  t.equal(got.code, 'MOSAIC_ERR_INTERNAL');
  t.ok(performance.now() - started < 1500, 'answered, not left to the wall budget');
});
