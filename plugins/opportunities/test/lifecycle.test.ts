import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';
import type { Pipeline } from '../src/pipeline.js';

// opportunities on a live kernel after its dependencies, one test per step, each building on the last.

const folder = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));
type ErrorBody = { error: { code: string; message: string } };
interface Opportunity { id: string; name: string; stage: string | null; probability: number | null; company_id: string | null; point_of_contact_id: string | null }

let kernel: TestKernel;
let acme: string;
let ada: string;
const ids = new Map<string, string>();
const expectStatus = (res: TestResponse, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));
const create = async <T extends { id: string }>(object: string, data: unknown): Promise<T> => {
  const res = await kernel.request<{ data: T }>('POST', `/api/objects/${object}`, data);
  expectStatus(res, 201);
  return res.body.data;
};
const opportunity = async (name: string) => (await kernel.request<{ data: Opportunity }>('GET', `/api/objects/opportunity/${ids.get(name)}`)).body.data;
const pipeline = () => kernel.request<Pipeline & Partial<ErrorBody>>('GET', '/api/plugins/opportunities/pipeline');

/** Retries `read` until `done` holds: event handlers run after the write that caused them returned. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// What the pipeline must answer for the opportunities made below, stage by stage.
const EXPECTED = [
  { stage: 'new', count: 3, amount: { USD: 1500.5 }, weighted: { USD: 100 } },
  { stage: 'qualified', count: 2, amount: { EUR: 2000, USD: 3000 }, weighted: { EUR: 500, USD: 990 } },
  { stage: 'proposal', count: 1, amount: { USD: 10000 }, weighted: { USD: 6000 } },
  { stage: 'negotiation', count: 0, amount: {}, weighted: {} },
  { stage: 'won', count: 1, amount: { USD: 4000 }, weighted: { USD: 4000 } },
  { stage: 'lost', count: 1, amount: { USD: 700 }, weighted: { USD: 0 } },
];

before(async () => {
  kernel = await startTestKernel({ plugins: [folder('companies'), folder('people'), folder('opportunities')] });
});
after(() => kernel?.close());

describe('opportunities on a live kernel', () => {
  test('installed after companies and people; opportunities relate to a company and a point of contact', async () => {
    assert.deepEqual(Object.keys(kernel.plugins), ['companies', 'people', 'opportunities']);
    acme = (await create('company', { name: 'Acme', domain: 'acme.com' })).id;
    ada = (await create('person', { full_name: { first_name: 'Ada', last_name: 'Lovelace' }, company_id: acme })).id;
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    const made: [string, Record<string, unknown>][] = [
      ['A', { stage: 'new', amount: usd(1000), probability: 10, company_id: acme, point_of_contact_id: ada, close_date: '2025-09-30' }],
      ['B', { stage: 'new', amount: usd(500.5), company_id: acme }],
      ['H', { amount: null }], // stage defaults to new
      ['C', { stage: 'qualified', amount: { amount: 2000, currency: 'EUR' }, probability: 25 }],
      ['D', { stage: 'qualified', amount: usd(3000), probability: 33 }],
      ['E', { stage: 'proposal', amount: usd(10000), probability: 60 }],
      ['F', { stage: 'won', amount: usd(4000), probability: 50 }],
      ['G', { stage: 'lost', amount: usd(700), probability: 40 }],
    ];
    for (const [name, data] of made) ids.set(name, (await create<Opportunity>('opportunity', { name, ...data })).id);
    const a = await opportunity('A');
    assert.deepEqual([a.company_id, a.point_of_contact_id], [acme, ada]);
    assert.equal((await opportunity('H')).stage, 'new');

    const overview = await kernel.request<{ related: unknown }>('GET', `/api/plugins/companies/overview/${acme}`);
    assert.deepEqual(overview.body.related, { people: 1, opportunities: 2 });
  });

  test('created as won or lost, an opportunity\'s probability is settled to 100 or 0 by the event handler', async () => {
    await until(() => opportunity('F'), (o) => o.probability === 100);
    await until(() => opportunity('G'), (o) => o.probability === 0);
  });

  test('GET /pipeline: count, total and weighted total per stage, in pipeline order', async () => {
    const res = await pipeline();
    expectStatus(res, 200);
    assert.deepEqual(res.body, { stages: EXPECTED, unstaged: 0, counted: 8 });
  });

  test('moving an opportunity to won sets its probability to 100 and moves it in the pipeline', async () => {
    expectStatus(await kernel.request('PATCH', `/api/objects/opportunity/${ids.get('E')}`, { stage: 'won' }), 200);
    await until(() => opportunity('E'), (o) => o.probability === 100);
    const res = await pipeline();
    assert.deepEqual(res.body.stages.find((s) => s.stage === 'proposal'), { stage: 'proposal', count: 0, amount: {}, weighted: {} });
    assert.deepEqual(res.body.stages.find((s) => s.stage === 'won'), { stage: 'won', count: 2, amount: { USD: 14000 }, weighted: { USD: 14000 } });
    // A change of another field is not delivered (fields: ["stage"]): a seller may lower a won deal's odds.
    expectStatus(await kernel.request('PATCH', `/api/objects/opportunity/${ids.get('E')}`, { probability: 90 }), 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await opportunity('E')).probability, 90);
  });

  test('uninstalling people while opportunities is enabled is refused, naming opportunities', async () => {
    const res = await kernel.request<ErrorBody>('DELETE', '/api/plugins/people');
    expectStatus(res, 409);
    assert.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_DEPENDED_ON');
    assert.match(res.body.error.message, /\bopportunities\b/);
  });

  test('disabling opportunities removes its route and widget; re-enabling brings them back with the data intact', async () => {
    const before = (await pipeline()).body;
    expectStatus(await kernel.request('PATCH', '/api/plugins/opportunities', { enabled: false }), 200);
    const off = await pipeline();
    expectStatus(off, 404);
    assert.equal(off.body.error?.code, 'MOSAIC_ERR_PLUGIN_DISABLED');
    const list = await kernel.request<{ data: { id: string; enabled: boolean; views_url: string }[] }>('GET', '/api/plugins');
    const plugin = list.body.data.find((p) => p.id === 'opportunities')!;
    assert.equal(plugin.enabled, false);
    expectStatus(await kernel.request('GET', plugin.views_url), 404);

    expectStatus(await kernel.request('PATCH', '/api/plugins/opportunities', { enabled: true }), 200);
    const on = await pipeline();
    expectStatus(on, 200);
    assert.deepEqual(on.body, before);
  });

  test('more opportunities than one invocation may read: the totals are still exact (the database adds them up)', async () => {
    // Off while 10,500 records go in, so the event handler is not run 10,500 times (events from while a
    // plugin is disabled are not replayed); the stage is new, which it would leave alone anyway.
    expectStatus(await kernel.request('PATCH', '/api/plugins/opportunities', { enabled: false }), 200);
    const sizes = [...Array.from({ length: 10 }, () => 1000), 500];
    for (const [batch, size] of sizes.entries()) {
      const records = Array.from({ length: size }, (_, i) => ({ name: `Bulk ${batch}-${i}`, stage: 'new', amount: { amount: 1, currency: 'USD' }, probability: 50 }));
      expectStatus(await kernel.request('POST', '/api/objects/opportunity/batch', { records }), 200);
    }
    expectStatus(await kernel.request('PATCH', '/api/plugins/opportunities', { enabled: true }), 200);
    const res = await pipeline();
    expectStatus(res, 200);
    assert.equal(res.body.counted, 8 + 10_500);
    const fresh = res.body.stages.find((s) => s.stage === 'new')!;
    assert.deepEqual(fresh, { stage: 'new', count: 3 + 10_500, amount: { USD: 1500.5 + 10_500 }, weighted: { USD: 100 + 5_250 } });
  });
});
