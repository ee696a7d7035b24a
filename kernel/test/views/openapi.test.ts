import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { openApiProblems, schemaChecker, type Doc } from '../openapi/fixtures/schema-check.js';

t.test('the OpenAPI document describes saved views, search and timelines, and real answers fit it', async (t) => {
  const kernel = await startTestKernel(t);
  const ownerSession = await signUp(kernel.app);
  const owner = api(kernel.app, ownerSession);
  const stage = { name: 'stage', type: 'select', options: { options: [{ value: 'lead', label: 'Lead' }] } };
  t.equal((await owner.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, stage] })).status, 201);

  const doc = (await owner.get('/api/openapi.json')).body as Doc;
  t.equal(await openApiProblems(doc), null, 'still valid OpenAPI 3.1');
  t.same(Object.keys(doc.paths['/api/views']).sort(), ['get', 'post']);
  t.same(Object.keys(doc.paths['/api/views/{id}']).sort(), ['delete', 'get', 'patch']);
  t.ok(doc.paths['/api/search'].get);
  t.equal(doc.paths['/api/objects/company/{id}/timeline'].get.operationId, 'timelineCompany');
  t.match(doc.paths['/api/views'].post.description, /Your role may create/);
  const member = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'member'));
  t.match((await member.get('/api/openapi.json')).body.paths['/api/views'].post.description, /lacks/, 'says what the role may do');

  const check = schemaChecker(doc);
  const rec = (await owner.post('/api/objects/company', { name: 'Acme', stage: 'lead' })).body.data;
  await owner.patch(`/api/objects/company/${rec.id}`, { name: 'Acme 2' });
  const view = (await owner.post('/api/views', { object: 'company', name: 'Board', layout: 'board', group_by: 'stage', columns: ['name'] })).body;
  t.equal(check('SavedView', view.data), null, 'a view fits SavedView');
  const search = (await owner.get('/api/search?q=acme')).body;
  t.equal(search.data.length, 1);
  t.equal(check('SearchHit', search.data[0]), null, 'a hit fits SearchHit');
  const timeline = (await owner.get(`/api/objects/company/${rec.id}/timeline`)).body;
  t.equal(timeline.data.length, 2);
  for (const entry of timeline.data) t.equal(check('TimelineEntry', entry), null, `${entry.type} fits TimelineEntry`);
});
