import t from 'tap';
import { MosaicError } from '../../src/errors/index.js';
import { PluginSandbox } from '../../src/sandbox/index.js';
import { ADA, recordingHost, rejection, route, routesPlugin, sandbox } from './fixtures/helpers.js';

t.test('a route handler gets JSON input and ctx, calls the host bridge, and returns JSON', async (t) => {
  const box = sandbox(t, routesPlugin(`
    create: async (ctx, input) => {
      const made = await ctx.host.records.create('company', { name: input.name, tags: input.tags });
      made.touchedInside = true; // a copy: the host's object must not change
      const again = await ctx.host.records.get('company', made.id);
      return { made, again, workspace: ctx.workspace, actor: ctx.actor, inputType: typeof input };
    },`));
  const hostObject = { id: 'co_1', name: 'Acme', nested: { deep: [1, 2, 3] } };
  const { host, calls } = recordingHost((capability, method) => (method === 'create' ? hostObject : { id: 'co_1', again: true }));
  const input = { name: 'Acme', tags: ['a', 'b'] };
  const result = await route(box, 'create', input, { host });
  t.same(result, {
    made: { id: 'co_1', name: 'Acme', nested: { deep: [1, 2, 3] }, touchedInside: true },
    again: { id: 'co_1', again: true },
    workspace: { id: 'ws_1' },
    actor: ADA,
    inputType: 'object',
  });
  t.same(calls, [
    { capability: 'records', method: 'create', args: ['company', { name: 'Acme', tags: ['a', 'b'] }] },
    { capability: 'records', method: 'get', args: ['company', 'co_1'] },
  ]);
  t.notOk('touchedInside' in hostObject, 'the host object was copied in, not shared');
  t.not(calls[0].args[1], input, 'the host receives a fresh copy of the arguments');
  t.same(box.status(), { state: 'ready', failures: 0, lastError: null, lastErrorAt: null, contexts: 1 });
});

t.test('every handler table is callable: routes, events, jobs, hooks', async (t) => {
  const box = sandbox(t, `globalThis.__mosaicPlugin = {
    routes: { r: () => 'route' }, events: { e: (ctx, ev) => 'event ' + ev.type },
    jobs: { j: async () => 'job' }, hooks: { onInstall: () => ({ installed: true }) } };`);
  const base = { workspaceId: 'ws_1', actor: ADA, host: async () => null };
  t.equal(await box.invoke({ ...base, kind: 'routes', handler: 'r', input: null }), 'route');
  t.equal(await box.invoke({ ...base, kind: 'events', handler: 'e', input: { type: 'company.created' } }), 'event company.created');
  t.equal(await box.invoke({ ...base, kind: 'jobs', handler: 'j', input: {} }), 'job');
  t.same(await box.invoke({ ...base, kind: 'hooks', handler: 'onInstall', input: {} }), { installed: true });
  t.equal(await box.invoke({ ...base, kind: 'routes', handler: 'r', input: undefined }), 'route', 'undefined input arrives as null');
});

t.test('each workspace has its own context: module globals never cross tenants', async (t) => {
  const box = sandbox(t, routesPlugin(`count: () => { counter++; globalThis.lastSeen = (globalThis.lastSeen || 0) + 1; return [counter, globalThis.lastSeen]; },`, 'let counter = 0;'));
  t.same(await route(box, 'count', {}, { workspaceId: 'ws_a' }), [1, 1]);
  t.same(await route(box, 'count', {}, { workspaceId: 'ws_a' }), [2, 2]);
  t.same(await route(box, 'count', {}, { workspaceId: 'ws_a' }), [3, 3]);
  t.same(await route(box, 'count', {}, { workspaceId: 'ws_b' }), [1, 1], 'a new workspace starts from fresh module state');
  t.same(await route(box, 'count', {}, { workspaceId: 'ws_a' }), [4, 4], 'the first workspace kept its own state');
  t.equal(box.status().contexts, 2);
});

t.test('idle contexts beyond maxContexts are dropped, least recently used first', async (t) => {
  const box = sandbox(t, routesPlugin(`count: () => ++counter,`, 'let counter = 0;'), { maxContexts: 2 });
  await route(box, 'count', {}, { workspaceId: 'ws_a' });
  await route(box, 'count', {}, { workspaceId: 'ws_b' });
  await route(box, 'count', {}, { workspaceId: 'ws_a' });
  await route(box, 'count', {}, { workspaceId: 'ws_c' }); // evicts ws_b, the least recently used
  t.equal(box.status().contexts, 2);
  t.equal(await route(box, 'count', {}, { workspaceId: 'ws_a' }), 3, 'ws_a survived');
  t.equal(await route(box, 'count', {}, { workspaceId: 'ws_b' }), 1, 'ws_b was rebuilt from scratch');
});

t.test('concurrent calls interleave at host calls and each keeps its own ctx', async (t) => {
  const box = sandbox(t, routesPlugin(`who: async (ctx, input) => { const a = await ctx.host.x.wait(input.ms); return ctx.actor.name + ':' + a; },`));
  const host = async (_c: string, _m: string, args: unknown[]) => {
    await new Promise((resolve) => setTimeout(resolve, args[0] as number));
    return args[0];
  };
  const results = await Promise.all([
    route(box, 'who', { ms: 40 }, { host, actor: { ...ADA, name: 'slow' } }),
    route(box, 'who', { ms: 5 }, { host, actor: { ...ADA, name: 'fast' } }),
    route(box, 'who', { ms: 20 }, { host, actor: { ...ADA, name: 'mid' }, workspaceId: 'ws_2' }),
  ]);
  t.same(results, ['slow:40', 'fast:5', 'mid:20']);
});

t.test('unknown handlers, inherited names and bad names are MOSAIC_ERR_PLUGIN_HANDLER_MISSING', async (t) => {
  const box = sandbox(t, routesPlugin(`ok: () => 1,`));
  for (const name of ['nope', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'a.b', '', '1abc']) {
    const error = await rejection(route(box, name));
    t.equal(error.code, 'MOSAIC_ERR_PLUGIN_HANDLER_MISSING', `handler ${JSON.stringify(name)}`);
    t.equal(error.statusCode, 404);
  }
  const wrongKind = await rejection(box.invoke({ workspaceId: 'w', kind: 'jobs', handler: 'ok', input: {}, actor: ADA, host: async () => null }));
  t.equal(wrongKind.code, 'MOSAIC_ERR_PLUGIN_HANDLER_MISSING', 'a route is not a job');
  const badKind = await rejection(box.invoke({ workspaceId: 'w', kind: 'constructor' as never, handler: 'ok', input: {}, actor: ADA, host: async () => null }));
  t.equal(badKind.code, 'MOSAIC_ERR_PLUGIN_HANDLER_MISSING');
  const none = sandbox(t, `globalThis.somethingElse = 1;`);
  t.equal((await rejection(route(none, 'ok'))).code, 'MOSAIC_ERR_PLUGIN_HANDLER_MISSING', 'a bundle without __mosaicPlugin has no handlers');
  t.equal(box.status().failures, 0, 'missing handlers are not sandbox failures');
});

t.test('a handler that throws gives MOSAIC_ERR_PLUGIN_ERROR with the plugin message and code, nothing more', async (t) => {
  const box = sandbox(t, routesPlugin(`
    coded: () => { const e = new Error('Company name is required'); e.code = 'ACME_NAME'; throw e; },
    str: async () => { throw 'plain string'; },
    obj: () => { throw { weird: true }; },
    getter: () => { throw { get message() { throw new Error('x'); } }; },
    long: () => { throw new Error('y'.repeat(100000)); },`));
  const coded = await rejection(route(box, 'coded'));
  t.equal(coded.code, 'MOSAIC_ERR_PLUGIN_ERROR');
  t.equal(coded.statusCode, 500);
  t.match(coded.message, /routes handler "coded" of plugin "acme" failed: Company name is required$/);
  t.same(coded.details, [{ path: 'routes.coded', message: 'Company name is required', code: 'ACME_NAME' }]);
  t.match((await rejection(route(box, 'str'))).message, /failed: plain string$/);
  t.match((await rejection(route(box, 'obj'))).message, /not an Error/);
  t.match((await rejection(route(box, 'getter'))).message, /could not be read/);
  t.ok((await rejection(route(box, 'long'))).message.length < 5000, 'messages are clipped');
  t.equal(box.status().failures, 0, 'handler exceptions are not sandbox failures');
  t.equal(box.status().state, 'ready');
});

t.test('host errors reach the plugin as coded errors without host stacks or paths', async (t) => {
  const box = sandbox(t, routesPlugin(`
    call: async (ctx, input) => {
      try { await ctx.host.records.find(input.which); return 'no error'; }
      catch (e) { return { name: e.name, code: e.code, message: e.message, stack: String(e.stack), keys: Object.keys(e) }; }
    },
    rethrow: async (ctx) => { await ctx.host.records.find('mosaic'); },`));
  const host = async (_c: string, _m: string, args: unknown[]) => {
    if (args[0] === 'mosaic') throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'Your role does not allow reading companies.');
    throw new Error(`ENOENT: open '${process.cwd()}/kernel/src/secret.ts' at /work/main/node_modules/pg/lib/client.js`);
  };
  const coded = (await route(box, 'call', { which: 'mosaic' }, { host })) as Record<string, unknown>;
  t.same({ code: coded.code, message: coded.message, name: coded.name }, {
    code: 'MOSAIC_ERR_FORBIDDEN', message: 'Your role does not allow reading companies.', name: 'Error',
  });
  const internal = (await route(box, 'call', { which: 'other' }, { host })) as Record<string, unknown>;
  t.equal(internal.code, 'MOSAIC_ERR_INTERNAL');
  const leaked = JSON.stringify(internal);
  t.notMatch(leaked, /ENOENT|secret|\/work|node_modules|file:/, 'no host message, path or stack entered the isolate');
  t.notMatch(String(coded.stack), /\/work|node_modules|file:|\.ts:/, 'the error stack shows only sandbox frames');
  const rethrown = await rejection(route(box, 'rethrow', {}, { host }));
  t.equal(rethrown.code, 'MOSAIC_ERR_PLUGIN_ERROR', 'a host code passing through a plugin is reported as the plugin failing');
  t.same(rethrown.details, [{ path: 'routes.rethrow', message: 'Your role does not allow reading companies.', code: 'MOSAIC_ERR_FORBIDDEN' }]);
});

t.test('malformed host calls are refused with MOSAIC_ERR_PLUGIN_BRIDGE_INVALID inside the plugin', async (t) => {
  const box = sandbox(t, routesPlugin(`
    bigint: async (ctx) => { try { await ctx.host.records.find(10n); } catch (e) { return e.code + ' ' + e.message; } },
    deep: async (ctx) => { let v = []; for (let i = 0; i < 500; i++) v = [v]; try { await ctx.host.records.find(v); } catch (e) { return e.code + ' ' + e.message; } },
    huge: async (ctx) => { try { await ctx.host.records.find('z'.repeat(2e6)); } catch (e) { return e.code + ' ' + e.message; } },
    badName: async (ctx) => { try { await ctx.host['no-such thing'].go(); } catch (e) { return e.code + ' ' + e.message; } },
    keep: (ctx) => { globalThis.kept = ctx; return 'kept'; },
    stale: async () => { try { await globalThis.kept.host.records.find('x'); return 'worked'; } catch (e) { return e.code + ' ' + e.message; } },
    thenable: (ctx) => [typeof ctx.host.then, typeof ctx.host.records.then, typeof ctx.host.records.toJSON, JSON.stringify(ctx.host)],`));
  const { host, calls } = recordingHost();
  t.match(await route(box, 'bigint', {}, { host }), /^MOSAIC_ERR_PLUGIN_BRIDGE_INVALID Host call arguments must be JSON/);
  t.match(await route(box, 'deep', {}, { host }), /^MOSAIC_ERR_PLUGIN_BRIDGE_INVALID .*nested deeper than 64 levels/);
  t.match(await route(box, 'huge', {}, { host }), /^MOSAIC_ERR_PLUGIN_BRIDGE_INVALID .*longer than 1048576 characters/);
  t.match(await route(box, 'badName', {}, { host }), /^MOSAIC_ERR_PLUGIN_BRIDGE_INVALID .*letters, digits/);
  t.equal(await route(box, 'keep', {}, { host }), 'kept');
  t.match(await route(box, 'stale', {}, { host }), /^MOSAIC_ERR_PLUGIN_BRIDGE_INVALID .*only while the invocation/, 'a ctx kept past its invocation is dead');
  t.same(await route(box, 'thenable', {}, { host }), ['undefined', 'undefined', 'undefined', '{}'], 'ctx.host is not a thenable and serialises to {}');
  t.equal(calls.length, 0, 'none of these reached the host API');
});

t.test('input that is not JSON is refused before the plugin runs', async (t) => {
  const box = sandbox(t, routesPlugin(`ok: () => 1,`));
  t.equal((await rejection(route(box, 'ok', { n: 1n }))).code, 'MOSAIC_ERR_REQUEST_INVALID');
  t.equal((await rejection(route(box, 'ok', () => 1))).code, 'MOSAIC_ERR_REQUEST_INVALID');
  t.equal((await rejection(route(box, 'ok', {}, { workspaceId: '' }))).code, 'MOSAIC_ERR_REQUEST_INVALID');
  t.throws(() => new PluginSandbox({ pluginId: 'x', script: '', memoryLimitMb: 2 }), RangeError, 'isolated-vm needs at least 8 MB');
  await t.rejects(route(box, 'ok', {}, { limits: { cpuMs: -1 } }), RangeError);
});

t.test('a bundle that fails to compile or throws at top level is MOSAIC_ERR_PLUGIN_CRASHED with its own message', async (t) => {
  const syntax = sandbox(t, 'globalThis.__mosaicPlugin = {');
  const compile = await rejection(route(syntax, 'x'));
  t.equal(compile.code, 'MOSAIC_ERR_PLUGIN_CRASHED');
  t.match(compile.message, /failed to start: .*Unexpected/);
  t.match(compile.message, /plugin:\/\/acme\/server\.js/, 'located in the plugin script, not in a host file');
  const throwing = sandbox(t, 'throw new Error("missing configuration");');
  const thrown = await rejection(route(throwing, 'x'));
  t.equal(thrown.code, 'MOSAIC_ERR_PLUGIN_CRASHED');
  t.match(thrown.message, /failed to start: missing configuration$/);
  t.equal(throwing.status().failures, 1, 'a plugin that cannot start counts towards degradation');
});

t.test('dispose stops the sandbox: MOSAIC_ERR_PLUGIN_STOPPED for calls in flight and after', async (t) => {
  const box = new PluginSandbox({ pluginId: 'acme', script: routesPlugin(`wait: (ctx) => ctx.host.x.never(), ok: () => 1,`) });
  t.equal(await route(box, 'ok'), 1);
  const inFlight = route(box, 'wait', {}, { host: () => new Promise(() => {}) });
  await new Promise((resolve) => setTimeout(resolve, 20));
  box.dispose();
  t.equal((await rejection(inFlight)).code, 'MOSAIC_ERR_PLUGIN_STOPPED');
  const later = await rejection(route(box, 'ok'));
  t.equal(later.code, 'MOSAIC_ERR_PLUGIN_STOPPED');
  t.equal(later.statusCode, 503);
  t.equal(box.status().state, 'disposed');
  t.equal(box.status().failures, 0, 'shutting down is not a failure');
});
