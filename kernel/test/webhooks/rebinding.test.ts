import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { BusEvent } from '../../src/events/types.js';
import type { LookupFunction } from '../../src/webhooks/address-guard.js';
import { WebhookDeliverer } from '../../src/webhooks/deliverer.js';
import { sendWebhook } from '../../src/webhooks/send.js';
import { loadWebhook } from '../../src/webhooks/store.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { startReceiver } from './fixtures/receiver.js';

/** A resolver that points `rebind.example` at loopback, as a hostile DNS server would after a webhook was saved. */
const rebinding: LookupFunction = (hostname, options, callback) => {
  if (hostname !== 'rebind.example') return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

function pingEvent(workspaceId: string): BusEvent {
  return { id: randomUUID(), position: 0, workspace_id: workspaceId, type: 'record.created', object: 'company', record_id: null, actor: null, occurred_at: new Date().toISOString(), payload: {} };
}

t.test('a name re-pointed at loopback after saving is refused at delivery time and recorded', async (t) => {
  const kernel = await startTestKernel(t, { EVENT_POLL_MS: '50' });
  const receiver = await startReceiver(t);
  const owner = await signUp(kernel.app);
  const { knex } = kernel.services.db;
  // Stored directly, as if the name had resolved to a public address when the webhook was created.
  const id = randomUUID();
  await knex('webhook').insert({ id, workspace_id: owner.workspaceId, url: `http://rebind.example:${receiver.port}/hook`, secret: 'whsec_rebinding_test_secret' });

  const deliverer = new WebhookDeliverer(kernel.services, { lookup: rebinding });
  const event = pingEvent(owner.workspaceId);
  await t.rejects(deliverer.deliver(id, event), { message: /^connection refused: rebind\.example resolves to 127\.0\.0\.1, a loopback address; set WEBHOOK_ALLOW_PRIVATE=true/ }, 'the bus sees a failure and retries or dead-letters');
  t.equal(receiver.received.length, 0, 'no connection was made');
  const [row] = await knex('webhook_delivery').where({ webhook_id: id });
  t.match(row, { event_id: event.id, attempt: 1, status_code: null, error: /connection refused: rebind\.example resolves to 127\.0\.0\.1/ }, 'recorded in the history');

  // The same resolver with private targets allowed does reach the receiver: the refusal above was the guard.
  const permissive = new WebhookDeliverer({ ...kernel.services, config: { ...kernel.services.config, webhookAllowPrivate: true } }, { lookup: rebinding });
  await permissive.deliver(id, pingEvent(owner.workspaceId));
  t.equal(receiver.at('/hook').length, 1, 'delivered when allowed');
});

t.test('IP literals are checked before connecting, since net.connect skips lookup for them', async (t) => {
  const receiver = await startReceiver(t);
  const target = { id: randomUUID(), secret: 'whsec_literal_test_secret' };
  for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::1]']) {
    const result = await sendWebhook({ ...target, url: `http://${host}:${receiver.port}/x` }, pingEvent(randomUUID()), { allowPrivate: false });
    t.match(result, { ok: false, statusCode: null, error: /^connection refused: .* set WEBHOOK_ALLOW_PRIVATE=true/ }, host);
  }
  t.equal(receiver.received.length, 0, 'nothing reached the receiver');
  const allowed = await sendWebhook({ ...target, url: `${receiver.url}/x` }, pingEvent(randomUUID()), { allowPrivate: true });
  t.match(allowed, { ok: true, statusCode: 200, error: null });
});

t.test('slow receivers time out, redirects are not followed, big answers are cut short', async (t) => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    if (req.url === '/slow') return; // never answers
    if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    res.writeHead(req.url === '/big-error' ? 500 : 200);
    res.end('x'.repeat(1024 * 1024));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const send = (path: string) => sendWebhook({ id: randomUUID(), secret: 'whsec_x_secret_value', url: `${base}${path}` }, pingEvent(randomUUID()), { allowPrivate: true, timeoutMs: 300 });

  const slow = await send('/slow');
  t.match(slow, { ok: false, statusCode: null, error: 'no complete answer within 300 ms' });
  t.ok(slow.latencyMs >= 250 && slow.latencyMs < 2000, `gave up after ${slow.latencyMs} ms`);
  t.match(await send('/redirect'), { ok: false, statusCode: 302, error: /^HTTP 302 \(redirects are not followed\)/ });
  const big = await send('/big-error');
  t.equal(big.statusCode, 500);
  t.ok(big.error!.length <= 1024 + 'HTTP 500: '.length, 'only the first 1 KB of an error answer is kept');
  t.match(await send('/big'), { ok: true, statusCode: 200 }, 'a huge 2xx answer is a delivery');
});

t.test('a deleted webhook is owed nothing; a disabled one fails so its event is kept', async (t) => {
  const kernel = await startTestKernel(t, { EVENT_POLL_MS: '50' });
  const owner = await signUp(kernel.app);
  const deliverer = new WebhookDeliverer(kernel.services);
  await t.resolves(deliverer.deliver(randomUUID(), pingEvent(owner.workspaceId)), 'unknown id: nothing to do');
  const id = randomUUID();
  await kernel.services.db.knex('webhook').insert({ id, workspace_id: owner.workspaceId, url: 'https://hooks.example.com/', secret: 'whsec_disabled_secret', enabled: false });
  await t.rejects(deliverer.deliver(id, pingEvent(owner.workspaceId)), { message: 'the webhook is disabled' });
  t.equal((await loadWebhook(kernel.services.db.knex, id))?.enabled, false);
});
