import t from 'tap';
import { definePlugin, isPluginError, PluginError, respond, type PluginContext, type RouteInput } from '../../src/index.js';

/** A ctx whose host records what it was asked; enough to call handlers directly. */
function fakeContext(): PluginContext & { calls: string[] } {
  const calls: string[] = [];
  const host = new Proxy({}, { get: (_, capability) => new Proxy({}, { get: (__, method) => async (...args: unknown[]) => { calls.push(`${String(capability)}.${String(method)}(${JSON.stringify(args)})`); return { data: [] }; } }) });
  return { workspace: { id: 'w1' }, actor: { type: 'member', id: 'm1', name: 'Ada' }, host: host as PluginContext['host'], calls };
}

const input = (body: unknown = null): RouteInput => ({ params: {}, query: {}, body: body as RouteInput['body'] });

t.test('definePlugin assigns frozen tables to globalThis.__mosaicPlugin and returns them', async (t) => {
  const plugin = definePlugin({
    routes: { async list(ctx) { return ctx.host.records.find('note', { limit: 5 }); } },
    events: { async onCreated(ctx, event) { await ctx.host.log.info('created', { id: event.record_id }); } },
    jobs: { nightly: () => 'done' },
    hooks: { onInstall: () => undefined },
  });
  t.equal((globalThis as Record<string, unknown>).__mosaicPlugin, plugin);
  t.ok(Object.isFrozen(plugin) && Object.isFrozen(plugin.routes) && Object.isFrozen(plugin.events) && Object.isFrozen(plugin.jobs) && Object.isFrozen(plugin.hooks));
  t.same(Object.keys(plugin), ['routes', 'events', 'jobs', 'hooks']);
  const ctx = fakeContext();
  t.same(await plugin.routes.list(ctx, input()), { data: [] });
  t.same(ctx.calls, ['records.find(["note",{"limit":5}])']);
  t.equal(plugin.routes.list.name, 'list', 'a wrapped route keeps its name for stack traces');
  t.equal(plugin.jobs.nightly(ctx, { job: 'nightly', scheduled_for: '2026-01-01T03:00:00.000Z' }), 'done');
  t.throws(() => {
    (plugin.routes as Record<string, unknown>).extra = () => 1;
  }, TypeError);
});

t.test('empty tables are present, so the sandbox always finds an object', async (t) => {
  const plugin = definePlugin({});
  t.same(plugin, { routes: {}, events: {}, jobs: {}, hooks: {} });
});

t.test('definePlugin refuses malformed definitions, listing every problem', async (t) => {
  const bad = () =>
    definePlugin({
      route: {},
      routes: { ok: () => 1, notAFunction: 42 },
      events: [],
      hooks: { onInstal: () => 1 },
    } as never);
  t.throws(bad, { code: 'MOSAIC_ERR_DEFINE_INVALID' });
  try {
    bad();
  } catch (error) {
    const message = (error as Error).message;
    for (const part of ['"route" is not a key', 'routes.notAFunction must be a function', 'events must be an object', 'hooks.onInstal is not a hook']) t.match(message, part);
  }
  t.throws(() => definePlugin(null as never), { code: 'MOSAIC_ERR_DEFINE_INVALID' });
});

t.test('respond builds the exact envelope the kernel recognises', async (t) => {
  t.same(respond({ status: 201, body: { id: 1 } }), { $mosaic: 'response', status: 201, body: { id: 1 } });
  t.same(respond({ status: 204 }), { $mosaic: 'response', status: 204 });
  t.same(respond({ status: 200, headers: { 'Content-Type': 'text/csv' }, text: 'a,b\n' }), { $mosaic: 'response', status: 200, headers: { 'content-type': 'text/csv' }, text: 'a,b\n' });
  t.same(Object.keys(respond({ status: 202, body: null })), ['$mosaic', 'status', 'body'], 'a null body is kept: it is JSON null');
  t.same(JSON.parse(JSON.stringify(respond({ status: 418, body: 'tea' }))), { $mosaic: 'response', status: 418, body: 'tea' }, 'survives the JSON bridge');
});

t.test('respond refuses what the kernel could not answer', async (t) => {
  for (const init of [
    { status: 99 },
    { status: 700 },
    { status: 200.5 },
    { status: 101 },
    { status: 200, body: 1, text: 'x' },
    { status: 200, text: 5 },
    { status: 200, headers: { 'bad header': 'x' } },
    { status: 200, headers: { 'x-a': 'one\r\nset-cookie: evil' } },
    { status: 200, headers: { 'x-a': 1 } },
    { status: 200, headers: [] },
  ]) {
    t.throws(() => respond(init as never), { code: 'MOSAIC_ERR_DEFINE_RESPONSE_INVALID' }, JSON.stringify(init));
  }
});

t.test('a PluginError with a status thrown by a route becomes that response; other errors propagate', async (t) => {
  const plugin = definePlugin({
    routes: {
      notFound() {
        throw new PluginError('ACME_NOT_FOUND', 'No such company.', 404);
      },
      noStatus() {
        throw new PluginError('ACME_BROKEN', 'Broken.');
      },
      bug() {
        throw new TypeError('oops');
      },
    },
    events: {
      failing() {
        throw new PluginError('ACME_LATER', 'Try later.', 503);
      },
    },
  });
  const ctx = fakeContext();
  t.same(await plugin.routes.notFound(ctx, input()), { $mosaic: 'response', status: 404, body: { error: { code: 'ACME_NOT_FOUND', message: 'No such company.' } } });
  await t.rejects(plugin.routes.noStatus(ctx, input()), { code: 'ACME_BROKEN', message: 'Broken.' }, 'without a status the kernel answers it');
  await t.rejects(plugin.routes.bug(ctx, input()), TypeError);
  t.throws(() => plugin.events.failing(ctx, {} as never), { code: 'ACME_LATER' }, 'events are not wrapped: a throw means retry');
});

t.test('PluginError checks its code and status', async (t) => {
  const error = new PluginError('ACME_QUOTA', 'Over quota.', 429);
  t.ok(error instanceof Error);
  t.ok(isPluginError(error));
  t.notOk(isPluginError(Object.assign(new Error('x'), { code: 'ACME_QUOTA', status: 429 })), 'a look-alike is not one');
  t.match(error, { name: 'PluginError', code: 'ACME_QUOTA', status: 429, message: 'Over quota.' });
  t.equal(new PluginError('X1', 'm').status, undefined);
  for (const [code, status] of [['acme_lower', 400], ['MOSAIC_ERR_PLUGIN_ERROR', 400], ['', 400], ['A__B', 400], ['ACME', 200], ['ACME', 600], ['ACME', 404.5]] as const) {
    t.throws(() => new PluginError(code, 'm', status), { code: 'MOSAIC_ERR_DEFINE_ERROR_INVALID' }, `${code} ${status}`);
  }
});
