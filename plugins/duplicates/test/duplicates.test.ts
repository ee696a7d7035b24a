import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';
import type { Candidates, Pair, ScanPage } from '../src/server.js';

// duplicates on a live kernel with companies, people, opportunities and activities: finding look-alikes,
// scanning a whole object page by page, and merging through the kernel's merge so that people,
// opportunities and notes follow the surviving record.

const folder = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));
const DUPLICATES = fileURLToPath(new URL('..', import.meta.url));
type ErrorBody = { error: { code: string; message: string } };

let kernel: TestKernel;
const ids = new Map<string, string>();
const expectStatus = (res: TestResponse, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));
const create = async (key: string, object: string, data: unknown): Promise<string> => {
  const res = await kernel.request<{ data: { id: string } }>('POST', `/api/objects/${object}`, data);
  expectStatus(res, 201);
  ids.set(key, res.body.data.id);
  return res.body.data.id;
};
const id = (key: string) => ids.get(key)!;
const keyOf = (recordId: string) => [...ids].find(([, v]) => v === recordId)?.[0] ?? recordId;
const candidates = async (object: string, key: string): Promise<[string, string[]][]> => {
  const res = await kernel.request<Candidates>('GET', `/api/plugins/duplicates/candidates/${object}/${id(key)}`);
  expectStatus(res, 200);
  return res.body.data.map((c) => [keyOf(c.record.id), c.reasons] as [string, string[]]).sort();
};
const pairKey = (p: Pair) => `${keyOf(p.a.id)}+${keyOf(p.b.id)}:${p.reasons.join(',')}`;

before(async () => {
  kernel = await startTestKernel({ plugins: ['companies', 'people', 'opportunities', 'activities'].map(folder).concat(DUPLICATES) });
  await create('acme', 'company', { name: 'Acme', domain: 'acme.com', employees: 120 });
  await create('acmeGmbh', 'company', { name: 'ACME GmbH', domain: 'www.Acme.com' });
  await create('acmeInc', 'company', { name: 'Acme, Inc.', domain: 'acme.io', employees: 80 });
  await create('acmeLabs', 'company', { name: 'Acme Labs', domain: 'acmelabs.com' });
  await create('socgen', 'company', { name: 'Société Générale' });
  await create('socgenSa', 'company', { name: 'Societe Generale S.A.' });
  await create('globex', 'company', { name: 'Globex' });

  await create('ada', 'person', { full_name: { first_name: 'Ada', last_name: 'Lovelace' }, emails: { primary: 'Ada@Acme.com' }, company_id: id('acme') });
  await create('adaAgain', 'person', { full_name: { first_name: 'ada', last_name: 'LOVELACE' }, emails: { primary: 'countess@example.org' }, company_id: id('acmeGmbh') });
  await create('augusta', 'person', { full_name: { first_name: 'Augusta', last_name: 'King' }, emails: { primary: 'augusta@example.org', additional: ['ada@acme.com'] }, company_id: id('acmeInc') });
  await create('zoe', 'person', { full_name: { first_name: 'Zoë', last_name: "O'Brien" }, company_id: id('globex') });
  await create('zoeAgain', 'person', { full_name: { first_name: 'Zoe', last_name: 'OBrien' } });
  await create('deal', 'opportunity', { name: 'Acme renewal', company_id: id('acmeInc'), point_of_contact_id: id('augusta') });
});
after(() => kernel?.close());

describe('duplicates on a live kernel', () => {
  test('a company\'s likely duplicates: same domain (www. and case aside) or same name (legal form, accents and punctuation aside)', async () => {
    assert.deepEqual(await candidates('company', 'acme'), [['acmeGmbh', ['domain', 'name']], ['acmeInc', ['name']]]);
    assert.deepEqual(await candidates('company', 'socgen'), [['socgenSa', ['name']]]);
    assert.deepEqual(await candidates('company', 'acmeLabs'), [], 'another name and domain is another company');
    assert.deepEqual(await candidates('company', 'globex'), []);

    const plugins = await kernel.request<{ data: { id: string; views: { slot: string; element: string; object: string | null }[]; views_url: string }[] }>('GET', '/api/plugins');
    const plugin = plugins.body.data.find((p) => p.id === 'duplicates')!;
    assert.deepEqual(plugin.views.map((v) => [v.slot, v.element, v.object]), [
      ['record.tab', 'duplicates-record-tab', 'company'],
      ['record.tab', 'duplicates-record-tab', 'person'],
      ['record.action', 'duplicates-merge-action', 'company'],
      ['record.action', 'duplicates-merge-action', 'person'],
    ]);
    expectStatus(await kernel.request('GET', plugin.views_url), 200);
  });

  test('a person\'s likely duplicates: any email in common (primary or additional, case aside) or the same first and last name', async () => {
    assert.deepEqual(await candidates('person', 'ada'), [['adaAgain', ['name']], ['augusta', ['email']]]);
    assert.deepEqual(await candidates('person', 'augusta'), [['ada', ['email']]]);
    assert.deepEqual(await candidates('person', 'zoe'), [], "O'Brien and OBrien are different names");
  });

  test('the scan pages through the whole object and lists every pair once', async () => {
    const pairs: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: TestResponse<ScanPage> = await kernel.request<ScanPage>('GET', `/api/plugins/duplicates/scan/company?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expectStatus(res, 200);
      pairs.push(...res.body.pairs.map(pairKey));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    assert.equal(pages, 4, '7 companies, 2 a page');
    assert.deepEqual(pairs.sort(), ['acme+acmeGmbh:domain,name', 'acme+acmeInc:name', 'acmeGmbh+acmeInc:name', 'socgen+socgenSa:name']);
  });

  test('merging companies keeps the picked values; people, opportunities and notes follow the survivor', async () => {
    const note = await kernel.request('POST', '/api/plugins/activities/notes', { target_object: 'company', target_id: id('acmeInc'), body: 'Renewal due in May.' });
    expectStatus(note, 201);
    const res = await kernel.request<{ data: Record<string, unknown>; merged_ids: string[]; repointed: Record<string, number> }>('POST', '/api/plugins/duplicates/merge/company', {
      into: id('acme'),
      from: [id('acmeGmbh'), id('acmeInc')],
      values: { employees: 80, domain: 'acme.io' },
    });
    expectStatus(res, 200);
    assert.equal(res.body.data.employees, 80);
    assert.equal(res.body.data.domain, 'acme.io', "a merged record's unique domain moved to the survivor");
    assert.deepEqual(res.body.repointed, { person: 2, opportunity: 1 });

    const people = await kernel.request<{ data: { id: string }[] }>('GET', `/api/objects/person?filter=company_id[eq]:${id('acme')}`);
    assert.deepEqual(people.body.data.map((p) => keyOf(p.id)).sort(), ['ada', 'adaAgain', 'augusta']);
    const deal = await kernel.request<{ data: { company_id: string } }>('GET', `/api/objects/opportunity/${id('deal')}`);
    assert.equal(deal.body.data.company_id, id('acme'));
    for (const gone of ['acmeGmbh', 'acmeInc']) expectStatus(await kernel.request('GET', `/api/objects/company/${id(gone)}`), 404);

    // activities follows the merge through its record.merged handler, delivered by the event bus.
    let notes: { body: string }[] = [];
    for (let i = 0; i < 100 && notes.length === 0; i++) {
      const r = await kernel.request<{ notes: { body: string }[] }>('GET', `/api/plugins/activities/for/company/${id('acme')}`);
      notes = r.body.notes;
      if (notes.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(notes.map((n) => n.body), ['Renewal due in May.']);
    assert.deepEqual(await candidates('company', 'acme'), [], 'no duplicates left');

    const timeline = await kernel.request<{ data: { type: string }[] }>('GET', `/api/objects/company/${id('acme')}/timeline?limit=100`);
    if (timeline.status === 200) {
      const types = timeline.body.data.map((e) => e.type);
      assert.equal(types[0], 'record.merged');
      assert.equal(types.filter((t) => t === 'record.created').length, 3, "the merged companies' history is on the survivor's timeline");
    }
  });

  test('merging people moves the opportunities they are the contact of', async () => {
    const res = await kernel.request('POST', '/api/plugins/duplicates/merge/person', { into: id('ada'), from: [id('augusta')], values: { emails: { primary: 'ada@acme.com', additional: ['augusta@example.org'] } } });
    expectStatus(res, 200);
    const deal = await kernel.request<{ data: { point_of_contact_id: string } }>('GET', `/api/objects/opportunity/${id('deal')}`);
    assert.equal(deal.body.data.point_of_contact_id, id('ada'));
  });

  test('bad merges are refused with a reason, and a member without delete on companies cannot merge them', async () => {
    const same = await kernel.request<ErrorBody>('POST', '/api/plugins/duplicates/merge/company', { into: id('socgen'), from: [id('socgen')] });
    expectStatus(same, 400);
    assert.match(same.body.error.message, /itself/);
    const shape = await kernel.request<ErrorBody>('POST', '/api/plugins/duplicates/merge/company', { into: id('socgen') });
    expectStatus(shape, 400);
    assert.equal(shape.body.error.code, 'DUPLICATES_MERGE_INVALID');
    const unknown = await kernel.request<ErrorBody>('GET', '/api/plugins/duplicates/candidates/company/00000000-0000-4000-8000-000000000000');
    expectStatus(unknown, 404);

    const role = await kernel.request('POST', '/api/workspace/roles', {
      key: 'no_deletes',
      name: 'No deletes',
      permissions: { workspace: [], objects: { '*': { read: true, create: true, update: true, delete: false } }, fields: {} },
    });
    expectStatus(role, 201);
    const key = await kernel.request<{ key: string }>('POST', '/api/workspace/api-keys', { name: 'no deletes', role: 'no_deletes' });
    expectStatus(key, 201);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${kernel.url}${path}`, { method, headers: { authorization: `Bearer ${key.body.key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    assert.equal((await call('GET', `/api/plugins/duplicates/candidates/company/${id('socgen')}`)).status, 200, 'looking is allowed');
    const refused = await call('POST', '/api/plugins/duplicates/merge/company', { into: id('socgen'), from: [id('socgenSa')] });
    assert.equal(refused.status, 403);
    expectStatus(await kernel.request('GET', `/api/objects/company/${id('socgenSa')}`), 200);
  });
});
