import t from 'tap';
import { startTestKernel } from '../helpers/kernel.js';

t.test('healthz and readyz on a migrated database', async (t) => {
  const kernel = await startTestKernel(t);
  const health = await kernel.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });
  t.ok(health.headers['x-request-id'], 'every response carries a request id');

  const ready = await kernel.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ready' });
});

t.test('readyz answers 503 with a coded error when migrations are missing', async (t) => {
  const kernel = await startTestKernel(t);
  await kernel.services.db.knex.raw('delete from mosaic_migrations');
  const ready = await kernel.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.equal(ready.json().error.code, 'MOSAIC_ERR_NOT_READY');
  t.match(ready.json().error.message, /Migration20261128000000/);
});

t.test('unknown routes answer a coded 404', async (t) => {
  const kernel = await startTestKernel(t);
  const res = await kernel.app.inject({ method: 'GET', url: '/nope?x=1' });
  t.equal(res.statusCode, 404);
  t.equal(res.json().error.code, 'MOSAIC_ERR_ROUTE_NOT_FOUND');
  t.ok(res.json().request_id);
});

t.test('a given x-request-id is echoed back', async (t) => {
  const kernel = await startTestKernel(t);
  const res = await kernel.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
  t.equal(res.headers['x-request-id'], 'abc-123');
});
