import t from 'tap';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { hostApiManifest, hostHarness } from './fixtures/host-api.js';

t.test('ctx.host.events.emit', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const knex = kernel.services.db.knex;
  const manifest = hostApiManifest({ permissions: { events: { emit: ['hostapi.sync.*', 'hostapi.ping'] } } });
  const plugin = hostHarness(t, kernel, manifest, owner.workspaceId);
  const { call } = plugin;
  const events = (type: string) => knex('event').where({ workspace_id: owner.workspaceId, type }).orderBy('seq');

  t.test('an allowed event is written to the outbox with the plugin as actor', async (t) => {
    t.same(await call('events', 'emit', 'hostapi.sync.done', { count: 3, items: ['a', 'b'] }), { value: null });
    t.same(await call('events', 'emit', 'hostapi.ping'), { value: null }, 'the payload is optional');
    const [done] = await events('hostapi.sync.done');
    t.same(done.payload, { count: 3, items: ['a', 'b'] });
    t.same(done.actor, { type: 'plugin', id: 'hostapi', name: 'Host API fixture' });
    t.equal(done.object, null);
    t.same((await events('hostapi.ping'))[0].payload, {});
    t.same(await plugin.invoke('syncDone', { count: 9 }), { emitted: true }, 'a realistic handler');
    t.equal((await events('hostapi.sync.done')).length, 2);
  });

  t.test('the actor keeps its chain, so the kernel can stop event storms', async (t) => {
    const host = (await import('../../src/plugins/host/bridge.js')).createHostBridge({
      services: kernel.services,
      records: {} as never,
      manifest,
      workspaceId: owner.workspaceId,
      actor: { type: 'plugin', id: 'hostapi', name: 'Host API fixture', chain: 3 },
      invocation: { kind: 'events', handler: 'onSomething' },
    });
    await host('events', 'emit', ['hostapi.sync.chained', {}]);
    t.same((await events('hostapi.sync.chained'))[0].actor, { type: 'plugin', id: 'hostapi', name: 'Host API fixture', chain: 3 });
  });

  t.test('subscribers receive it through the bus', async (t) => {
    const received = new Promise<{ type: string; payload: unknown }>((resolve) => {
      const sub = kernel.services.bus.subscribe(
        'hostapi.sync.delivered',
        { workspaceId: owner.workspaceId },
        async (event) => {
          sub.unsubscribe();
          resolve(event);
        },
        { name: 'test:plugin-events', startAt: 'beginning' },
      );
    });
    await call('events', 'emit', 'hostapi.sync.delivered', { ok: true });
    t.match(await received, { type: 'hostapi.sync.delivered', payload: { ok: true } });
  });

  t.test('types outside the grant or the namespace are refused', async (t) => {
    for (const type of ['hostapi.other', 'hostapi.pings', 'record.created', 'companies.sync.done', 'hostapix.sync.done']) {
      const outcome = await call('events', 'emit', type, {});
      t.match(outcome, { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: new RegExp(`may not emit "${type.replace(/\./g, '\\.')}"`) }, type);
    }
    t.match(await call('events', 'emit', 'record.created', {}), { message: /own namespace, "hostapi\.\*"/ });
    t.match(await call('events', 'emit', 'hostapi.other', {}), { message: /allows only hostapi\.sync\.\*, hostapi\.ping/ });
    const none = hostHarness(t, kernel, hostApiManifest({ id: 'silent' }), owner.workspaceId);
    t.match(await none.call('events', 'emit', 'silent.hello', {}), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: /asks for no permissions\.events\.emit/ });
    t.equal((await knex('event').whereIn('type', ['hostapi.other', 'record.created', 'silent.hello'])).length, 0, 'nothing was written');
  });

  t.test('malformed types and payloads are refused', async (t) => {
    for (const args of [[42], [''], ['hostapi.'], ['hostapi.Sync.done'], ['hostapi.sync..x'], ['hostapi.sync.done.'], ['hostapi.9lives'], ['hostapi.sync.x', [1]], ['hostapi.sync.x', 'text'], ['hostapi.sync.x', { bad: 'nul\u0000' }]]) {
      t.match(await call('events', 'emit', ...args), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' }, JSON.stringify(args));
    }
    t.match(await call('events', 'emit', `hostapi.sync.${'x'.repeat(200)}`, {}), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' }, 'a type over 200 characters');
  });

  t.test('payloads are at most 64 KB of JSON', async (t) => {
    t.same(await call('events', 'emit', 'hostapi.sync.big', { s: 'x'.repeat(64 * 1024 - 8) }), { value: null }, 'exactly 64 KB');
    t.match(await call('events', 'emit', 'hostapi.sync.big', { s: 'x'.repeat(64 * 1024 - 7) }), { code: 'MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE', message: /send an id/ });
    t.equal((await events('hostapi.sync.big')).length, 1);
  });
});
