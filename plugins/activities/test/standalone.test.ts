import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';
import type { RecordActivities } from '../src/server.js';

// Why activities declares no dependency: its read grant covers every object ("*"), present and future,
// so it installs first or alone, and a company installed later is attachable at once without a new consent.

const COMPANIES = fileURLToPath(new URL('../../companies', import.meta.url));
const ACTIVITIES = fileURLToPath(new URL('..', import.meta.url));
type ErrorBody = { error: { code: string; message: string } };

let kernel: TestKernel;
const expectStatus = (res: TestResponse, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));

before(async () => {
  kernel = await startTestKernel({ plugins: [ACTIVITIES] });
});
after(() => kernel?.close());

test('installed alone, it refuses targets whose object does not exist yet, and serves them once companies is installed', async () => {
  assert.deepEqual(Object.keys(kernel.plugins), ['activities']);
  const early = await kernel.request<ErrorBody>('POST', '/api/plugins/activities/notes', { target_object: 'company', target_id: '00000000-0000-4000-8000-000000000000', body: 'Too early' });
  expectStatus(early, 404);
  assert.equal(early.body.error.code, 'ACTIVITIES_TARGET_NOT_FOUND');
  assert.match(early.body.error.message, /no company object/);

  expectStatus(await kernel.request('POST', '/api/plugins', { path: COMPANIES, grant: 'requested' }), 201);
  const made = await kernel.request<{ data: { id: string } }>('POST', '/api/objects/company', { name: 'Initech' });
  expectStatus(made, 201);
  expectStatus(await kernel.request('POST', '/api/plugins/activities/notes', { target_object: 'company', target_id: made.body.data.id, body: 'Now it exists' }), 201);
  const listed = await kernel.request<RecordActivities>('GET', `/api/plugins/activities/for/company/${made.body.data.id}`);
  assert.deepEqual(listed.body.notes.map((n) => n.body), ['Now it exists']);
});
