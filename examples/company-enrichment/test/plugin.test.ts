import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { PluginContext } from '@mosaic/plugin-sdk';
import { startTestKernel, type TestKernel } from '@mosaic/plugin-sdk/testing';
import plugin from '../src/server.js';

describe('handlers called directly', () => {
  test('createNote refuses an empty title with the plugin\'s own error code', async () => {
    const ctx = { workspace: { id: 'w' }, actor: { type: 'member', id: 'm', name: 'Ada' }, host: {} } as unknown as PluginContext;
    const res = await plugin.routes.createNote(ctx, { params: {}, query: {}, body: { title: '  ' } });
    assert.deepEqual(res, { $mosaic: 'response', status: 400, body: { error: { code: 'COMPANY_ENRICHMENT_TITLE_REQUIRED', message: 'A note needs a non-empty title.' } } });
  });
});

describe('the plugin installed in a real kernel', () => {
  let kernel: TestKernel;

  before(async () => {
    kernel = await startTestKernel({ plugins: [fileURLToPath(new URL('..', import.meta.url))] });
  });
  after(() => kernel?.close());

  test('POST /notes creates a note that GET /notes lists', async () => {
    const created = await kernel.request<{ id: string; title: string }>('POST', '/api/plugins/company-enrichment/notes', { title: 'First note', body: 'Hello' });
    assert.equal(created.status, 201);
    assert.equal(created.body.title, 'First note');

    const list = await kernel.request<{ data: { id: string; title: string }[] }>('GET', '/api/plugins/company-enrichment/notes');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((note) => note.id), [created.body.id]);
  });

  test('the note is an ordinary record of the plugin\'s object', async () => {
    const res = await kernel.request<{ data: { title: string }[] }>('GET', '/api/objects/company_enrichment_note');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data.map((note) => note.title), ['First note']);
  });

  test('POST /notes without a title answers 400 with the plugin\'s code', async () => {
    const res = await kernel.request<{ error: { code: string } }>('POST', '/api/plugins/company-enrichment/notes', {});
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'COMPANY_ENRICHMENT_TITLE_REQUIRED');
  });
});
