import t from 'tap';
import { KV_MAX_KEYS } from '../../src/plugins/state/index.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { hostApiManifest, hostHarness } from './fixtures/host-api.js';

t.test('ctx.host.kv', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const other = await signUp(kernel.app);
  const knex = kernel.services.db.knex;
  const plugin = hostHarness(t, kernel, hostApiManifest({ permissions: { kv: true } }), owner.workspaceId);
  const { call } = plugin;

  t.test('set, get, overwrite, delete', async (t) => {
    t.same(await call('kv', 'get', 'greeting'), { value: null }, 'an absent key reads as null');
    t.same(await call('kv', 'set', 'greeting', { text: 'hello', n: [1, 2] }), { value: null });
    t.same(await call('kv', 'get', 'greeting'), { value: { text: 'hello', n: [1, 2] } });
    await call('kv', 'set', 'greeting', 'bye');
    t.same(await call('kv', 'get', 'greeting'), { value: 'bye' });
    for (const value of [0, false, '', [], 'ünïcødé ✓']) {
      await call('kv', 'set', 'scalar', value);
      t.same(await call('kv', 'get', 'scalar'), { value }, `${JSON.stringify(value)} round-trips`);
    }
    t.same(await call('kv', 'delete', 'greeting'), { value: null });
    t.same(await call('kv', 'get', 'greeting'), { value: null });
    t.same(await call('kv', 'delete', 'greeting'), { value: null }, 'deleting an absent key is fine');
  });

  t.test('stores are per plugin and per workspace', async (t) => {
    await call('kv', 'set', 'mine', 1);
    const elsewhere = hostHarness(t, kernel, hostApiManifest({ permissions: { kv: true } }), other.workspaceId);
    t.same(await elsewhere.call('kv', 'get', 'mine'), { value: null }, 'another workspace sees nothing');
    const otherPlugin = hostHarness(t, kernel, hostApiManifest({ id: 'otherkv', permissions: { kv: true } }), owner.workspaceId);
    t.same(await otherPlugin.call('kv', 'get', 'mine'), { value: null }, 'another plugin sees nothing');
    const rows = await knex('plugin_kv').where({ key: 'mine' });
    t.same(rows.map((r) => [r.workspace_id, r.plugin_id]), [[owner.workspaceId, 'hostapi']]);
  });

  t.test('list: keyset pages in byte order, with a prefix', async (t) => {
    for (const key of ['list/b', 'list/a', 'list/C', 'list/c/1', 'lisx', 'list/é']) await call('kv', 'set', key, key);
    const first = await call('kv', 'list', { prefix: 'list/', limit: 2 });
    t.same(first.value, { keys: ['list/C', 'list/a'], cursor: 'list/a' }, 'upper case sorts first, as bytes do');
    const second = await call('kv', 'list', { prefix: 'list/', limit: 2, cursor: 'list/a' });
    t.same(second.value, { keys: ['list/b', 'list/c/1'], cursor: 'list/c/1' });
    const last = await call('kv', 'list', { prefix: 'list/', limit: 2, cursor: 'list/c/1' });
    t.same(last.value, { keys: ['list/é'], cursor: null });
    const all = (await call('kv', 'list')).value as { keys: string[] };
    t.ok(all.keys.includes('lisx') && all.keys.includes('mine'), 'no prefix lists everything');
    t.same((await call('kv', 'list', { prefix: 'list/%' })).value, { keys: [], cursor: null }, 'the prefix is literal, not a LIKE pattern');
  });

  t.test('a key with a time to live expires and is purged when read', async (t) => {
    await call('kv', 'set', 'session', { user: 1 }, { ttl_seconds: 60 });
    t.same(await call('kv', 'get', 'session'), { value: { user: 1 } });
    const row = await knex('plugin_kv').where({ workspace_id: owner.workspaceId, key: 'session' }).first();
    t.ok(new Date(row.expires_at) > new Date(), 'an expiry is stored');
    // Expiry is data: move it into the past rather than waiting.
    await knex('plugin_kv').where({ workspace_id: owner.workspaceId, key: 'session' }).update({ expires_at: knex.raw("now() - interval '1 second'") });
    t.notOk(((await call('kv', 'list', { prefix: 'sess' })).value as { keys: string[] }).keys.length, 'an expired key is not listed');
    t.same(await call('kv', 'get', 'session'), { value: null }, 'nor read');
    t.equal((await knex('plugin_kv').where({ workspace_id: owner.workspaceId, key: 'session' })).length, 0, 'reading it deleted it');
    await call('kv', 'set', 'session', 'again');
    t.equal((await knex('plugin_kv').where({ workspace_id: owner.workspaceId, key: 'session' }).first()).expires_at, null, 'a set without ttl does not expire');
  });

  t.test('increment is atomic and starts from 0', async (t) => {
    t.same(await call('kv', 'increment', 'hits'), { value: 1 });
    t.same(await call('kv', 'increment', 'hits', 41), { value: 42 });
    t.same(await call('kv', 'increment', 'hits', -2.5), { value: 39.5 });
    await call('kv', 'set', 'hits', 0);
    const results = await Promise.all(Array.from({ length: 40 }, () => call('kv', 'increment', 'hits')));
    t.same(results.map((r) => r.value).sort((a, b) => (a as number) - (b as number)), Array.from({ length: 40 }, (_, i) => i + 1), 'every concurrent increment got its own value');
    t.same(await call('kv', 'get', 'hits'), { value: 40 });
    await call('kv', 'set', 'word', 'seven');
    t.match(await call('kv', 'increment', 'word'), { code: 'MOSAIC_ERR_PLUGIN_KV_NOT_NUMBER' });
    t.same(await call('kv', 'get', 'word'), { value: 'seven' }, 'the value is unchanged');
    await call('kv', 'set', 'ticking', 5, { ttl_seconds: 60 });
    t.same(await call('kv', 'increment', 'ticking'), { value: 6 }, 'a live key with a ttl counts on');
    await knex('plugin_kv').where({ workspace_id: owner.workspaceId, key: 'ticking' }).update({ expires_at: knex.raw("now() - interval '1 second'") });
    t.same(await call('kv', 'increment', 'ticking', 3), { value: 3 }, 'an expired key starts again from 0');
    t.same((await plugin.invoke('countVisit')) as object, { visits: 1 }, 'a realistic handler');
  });

  t.test('malformed arguments are refused', async (t) => {
    const cases: [string, unknown[]][] = [
      ['get', [42]],
      ['get', ['']],
      ['get', ['x'.repeat(257)]],
      ['get', ['bad\nkey']],
      ['get', ['\ud800']],
      ['set', ['k', null]],
      ['set', ['k']],
      ['set', ['k', 1, { ttl: 5 }]],
      ['set', ['k', 1, { ttl_seconds: 0 }]],
      ['set', ['k', 1, { ttl_seconds: 1.5 }]],
      ['set', ['k', 'nul \u0000 inside']],
      ['set', ['k', { '\udc00': 1 }]],
      ['list', [{ limit: 0 }]],
      ['list', [{ limit: 1001 }]],
      ['list', [{ prefix: 7 }]],
      ['list', [[]]],
      ['increment', ['k', '1']],
    ];
    for (const [method, args] of cases) {
      t.match(await call('kv', method, ...args), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' }, `${method}(${JSON.stringify(args).slice(0, 60)})`);
    }
    t.same(await call('kv', 'set', 'k', 'a\\u0000b'), { value: null }, 'an escaped backslash before u0000 is just text');
    t.same(await call('kv', 'get', 'k'), { value: 'a\\u0000b' });
    t.same(await call('kv', 'set', 'x'.repeat(256), 1), { value: null }, 'a 256-character key is fine');
  });

  t.test('values are at most 64 KB of JSON', async (t) => {
    t.same(await call('kv', 'set', 'big', 'x'.repeat(64 * 1024 - 2)), { value: null }, 'exactly 64 KB with its quotes');
    t.match(await call('kv', 'set', 'big', 'x'.repeat(64 * 1024 - 1)), { code: 'MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE', message: /65536/ });
    t.match(await call('kv', 'set', 'big', 'é'.repeat(33 * 1024)), { code: 'MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE' }, 'bytes, not characters');
  });

  t.test('at most 10,000 keys per plugin and workspace; expired keys make room', async (t) => {
    const quota = hostHarness(t, kernel, hostApiManifest({ id: 'quota', permissions: { kv: true } }), owner.workspaceId);
    // Filling the store through 10,000 host calls would only test patience; the rows are what counts.
    await knex.raw(
      `insert into plugin_kv (workspace_id, plugin_id, key, value, expires_at)
       select ?, 'quota', 'k' || i, '1'::jsonb, case when i <= 10 then now() - interval '1 minute' else null end from generate_series(1, ?) i`,
      [owner.workspaceId, KV_MAX_KEYS],
    );
    t.same(await quota.call('kv', 'set', 'new', 1), { value: null }, 'the 10 expired keys are purged to make room');
    t.equal(Number((await knex('plugin_kv').where({ plugin_id: 'quota' }).count({ n: '*' }))[0]!.n), KV_MAX_KEYS - 9);
    for (let i = 0; i < 9; i++) t.same(await quota.call('kv', 'set', `more${i}`, i), { value: null });
    t.match(await quota.call('kv', 'set', 'one-too-many', 1), { code: 'MOSAIC_ERR_PLUGIN_KV_QUOTA', message: /10000 keys/ });
    t.match(await quota.call('kv', 'increment', 'counter-too-many'), { code: 'MOSAIC_ERR_PLUGIN_KV_QUOTA' }, 'increment creating a key counts too');
    t.same(await quota.call('kv', 'set', 'k500', 'overwritten'), { value: null }, 'overwriting an existing key needs no room');
    t.same(await quota.call('kv', 'increment', 'k600'), { value: 2 });
    t.same(await quota.call('kv', 'delete', 'k700'), { value: null });
    t.same(await quota.call('kv', 'set', 'fits-again', 1), { value: null }, 'a delete frees a place');
  });

  t.test('without permissions.kv every method is refused', async (t) => {
    const denied = hostHarness(t, kernel, hostApiManifest({ id: 'nokv', permissions: { kv: false } }), owner.workspaceId);
    for (const [method, args] of [['get', ['k']], ['set', ['k', 1]], ['delete', ['k']], ['list', []], ['increment', ['k']]] as [string, unknown[]][]) {
      t.match(await denied.call('kv', method, ...args), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: /"nokv" may not use a key-value store.*"kv": true/ }, method);
    }
    t.equal((await knex('plugin_kv').where({ plugin_id: 'nokv' })).length, 0, 'nothing was written');
  });
});
