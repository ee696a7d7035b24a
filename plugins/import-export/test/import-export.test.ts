import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';
import type { ExportUrl, ImportInfo, ObjectsAnswer, PreparedImport } from '../src/server.js';

// The page's path through the plugin's routes on a live kernel: list objects, build an export link and
// download it, prepare an import, send the file to the upload URL as a browser does, map, start, follow
// the progress to the report. The 100,000-row import and export are tested in the kernel
// (kernel/test/imports, kernel/test/records/export.test.ts) and measured in bench/import.

const PLUGIN = fileURLToPath(new URL('..', import.meta.url));
type ErrorBody = { error: { code: string; message: string } };

let kernel: TestKernel;
const expectStatus = (res: TestResponse, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));
const route = <T>(method: string, path: string, body?: unknown) => kernel.request<T>(method, `/api/plugins/import-export${path}`, body);

/** Sends a file to a prepared import's upload URL: no credentials, the URL's token is the authorisation. */
async function put(url: string, text: string | Blob): Promise<{ status: number; body: { data?: ImportInfo; error?: { code: string } } }> {
  const res = await fetch(`${kernel.url}${url}`, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: text });
  return { status: res.status, body: (await res.json()) as never };
}

async function finished(id: string): Promise<ImportInfo> {
  for (;;) {
    const res = await route<ImportInfo>('GET', `/imports/${id}`);
    expectStatus(res, 200);
    if (res.body.status !== 'running') return res.body;
    await new Promise((done) => setTimeout(done, 50));
  }
}

before(async () => {
  kernel = await startTestKernel({ plugins: [PLUGIN] });
  const created = await kernel.request('POST', '/api/metadata/objects', {
    name: 'lead',
    label_singular: 'Lead',
    label_plural: 'Leads',
    fields: [
      { name: 'name', type: 'text', label: 'Name', is_nullable: false },
      { name: 'email', type: 'email', label: 'Email', is_unique: true },
      { name: 'score', type: 'number', label: 'Score' },
      { name: 'stage', type: 'select', label: 'Stage', options: { options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }] } },
    ],
  });
  expectStatus(created, 201);
});
after(() => kernel?.close());

describe('import-export on a live kernel', () => {
  test('lists the objects the member may export or import into', async () => {
    const res = await route<ObjectsAnswer>('GET', '/objects');
    expectStatus(res, 200);
    const lead = res.body.data.find((o) => o.name === 'lead');
    assert.ok(lead);
    assert.equal(lead.can_import, true);
    assert.deepEqual(lead.columns.filter((c) => ['name', 'email', 'score', 'stage'].includes(c.key)).map((c) => c.label), ['Name', 'Email', 'Score', 'Stage']);
  });

  test('imports a file through the mapping step, upserting on email, and reports the bad rows', async () => {
    const prepared = await route<PreparedImport>('POST', '/imports', { object: 'lead', file_name: 'leads.csv' });
    expectStatus(prepared, 200);
    const up = await put(prepared.body.upload_url, '\uFEFFFull name,E-mail,Score,Stage\nAda,ada@example.com,"1,5",won\nBob,bob@example.com,x,New\nCy,cy@example.com,3,lost\n');
    assert.equal(up.status, 201, JSON.stringify(up.body));

    const uploaded = await route<ImportInfo>('GET', `/imports/${prepared.body.id}`);
    expectStatus(uploaded, 200);
    assert.equal(uploaded.body.status, 'uploaded');
    assert.deepEqual(uploaded.body.suggested_mapping, [null, 'email', 'score', 'stage'], 'the mapping step starts from suggestions');
    const mapping = ['name', 'email', 'score', 'stage'];
    const started = await route<ImportInfo>('POST', `/imports/${prepared.body.id}/start`, { mapping, upsert_on: 'email', on_error: 'skip' });
    expectStatus(started, 200);
    const done = await finished(prepared.body.id);
    assert.equal(done.status, 'completed');
    assert.deepEqual([done.created, done.updated, done.failed], [1, 0, 2]);
    assert.deepEqual(done.errors.map((e) => [e.row, e.column, e.field]), [[3, 'Score', 'score'], [4, 'Stage', 'stage']], 'which rows, which fields');
    assert.match(done.errors[1].reason, /"lost" is not one of the options/);

    // The same file again, all or nothing: nothing is written and the report says so.
    const again = await route<PreparedImport>('POST', '/imports', { object: 'lead' });
    await put(again.body.upload_url, 'name,email,score\nAda Lovelace,ada@example.com,2\nBad,bad@example.com,many\n');
    await route('POST', `/imports/${again.body.id}/start`, { mapping: ['name', 'email', 'score'], upsert_on: 'email' });
    const refused = await finished(again.body.id);
    assert.equal(refused.status, 'failed');
    assert.match(refused.message ?? '', /nothing was imported \(all or nothing\)/);
    const leads = await kernel.request<{ data: { name: string; score: number; stage: string }[] }>('GET', '/api/objects/lead?order_by=name');
    assert.deepEqual(leads.body.data.map((l) => [l.name, l.score, l.stage]), [['Ada', 1.5, 'won']]);

    const list = await route<{ data: ImportInfo[] }>('GET', '/imports?object=lead');
    assert.deepEqual(list.body.data.map((i) => i.id).slice(0, 2), [again.body.id, prepared.body.id], 'newest first');
  });

  test('refuses what cannot be imported, with codes', async () => {
    let res = await route<ErrorBody>('POST', '/imports', { object: 'nothing' });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'IMPORT_EXPORT_OBJECT_NOT_FOUND');
    res = await route<ErrorBody>('POST', '/imports', {});
    assert.equal(res.body.error.code, 'IMPORT_EXPORT_OBJECT_REQUIRED');
    res = await route<ErrorBody>('GET', '/imports/not-an-id');
    assert.equal(res.status, 404);
    const prepared = await route<PreparedImport>('POST', '/imports', { object: 'lead' });
    const latin1 = new Blob([Buffer.from('name\nCaf'), Uint8Array.of(0xe9, 10)]);
    const up = await put(prepared.body.upload_url, latin1);
    assert.equal(up.status, 415);
    assert.equal(up.body.error?.code, 'MOSAIC_ERR_IMPORT_ENCODING', 'a file in the wrong encoding is refused whole');
    res = await route<ErrorBody>('POST', `/imports/${prepared.body.id}/start`, { mapping: ['name'] });
    assert.equal(res.body.error.code, 'IMPORT_EXPORT_IMPORT_NOT_FOUND', 'and nothing of it is left to start');
  });

  test('exports a view as CSV through the link it builds', async () => {
    const link = await route<ExportUrl>('GET', '/export-url?object=lead&fields=email,name&filter=score[gt]:1&order_by=name');
    expectStatus(link, 200);
    assert.match(link.body.url, /^\/api\/objects\/lead\/export\?format=csv&filter=score%5Bgt%5D%3A1&order_by=name&fields=email%2Cname$/);
    const csv = await kernel.request<string>('GET', link.body.url);
    expectStatus(csv, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    // (The test client decodes text as browsers do, dropping the BOM the kernel sends for spreadsheets.)
    assert.equal(csv.body.replace(/^\uFEFF/, ''), 'Email,Name\r\nada@example.com,Ada\r\n');
    const missing = await route<ErrorBody>('GET', '/export-url?object=nothing');
    assert.equal(missing.body.error.code, 'IMPORT_EXPORT_OBJECT_NOT_FOUND');
  });
});
