import t from 'tap';
import { MIN_SECRET_LENGTH } from '../../src/webhooks/signature.js';
import { MAX_URL_LENGTH } from '../../src/webhooks/url.js';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { startReceiver } from '../webhooks/fixtures/receiver.js';
import { openApiProblems, responseChecker, schemaChecker, type Doc } from './fixtures/schema-check.js';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', EVENT_POLL_MS: '50', EVENT_RETRY_BASE_MS: '20', EVENT_MAX_ATTEMPTS: '2' };

/** Path → methods, per capability, as events/routes.ts and webhooks/routes.ts register them. */
const ROUTES = {
  events: {
    '/api/events/subscribers': ['get'],
    '/api/events/dead-letters': ['get'],
    '/api/events/dead-letters/{id}': ['delete', 'get'],
    '/api/events/dead-letters/{id}/replay': ['post'],
  },
  webhooks: {
    '/api/webhooks': ['get', 'post'],
    '/api/webhooks/{id}': ['delete', 'get', 'patch'],
    '/api/webhooks/{id}/deliveries': ['get'],
    '/api/webhooks/{id}/test': ['post'],
  },
} as const;

const busPaths = (doc: Doc) => Object.keys(doc.paths).filter((p) => p.startsWith('/api/events') || p.startsWith('/api/webhooks'));
const tagNames = (doc: Doc) => (doc.tags as { name: string }[]).map((tag) => tag.name);

t.test('event and webhook routes are documented for the roles holding their capability, and only for them', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  const fetchDoc = async (who: Parameters<typeof api>[1]): Promise<Doc> => (await api(kernel.app, who).get('/api/openapi.json')).body;

  const doc = await fetchDoc(owner);
  t.equal(await openApiProblems(doc), null, 'swagger-parser validates it');
  for (const [path, methods] of [...Object.entries(ROUTES.events), ...Object.entries(ROUTES.webhooks)]) {
    t.same(Object.keys(doc.paths[path] ?? {}).sort(), methods, `${path} for the owner`);
  }
  t.same(busPaths(doc).sort(), [...Object.keys(ROUTES.events), ...Object.keys(ROUTES.webhooks)].sort(), 'nothing else');
  t.ok(tagNames(doc).includes('Events') && tagNames(doc).includes('Webhooks'), 'both tags');
  t.same(Object.keys(doc.paths['/api/events/dead-letters/{id}/replay'].post.responses), ['200', '400', '401', '403', '404', '502', '503'], 'replay documents 502 and 503');
  t.ok(doc.components.responses.BadGateway && doc.components.responses.ServiceUnavailable);
  for (const [path, method] of [['/api/webhooks', 'post'], ['/api/webhooks/{id}', 'patch'], ['/api/webhooks/{id}', 'delete'], ['/api/events/dead-letters/{id}', 'delete']]) {
    t.ok(doc.paths[path][method].parameters.some((p: { $ref?: string }) => p.$ref === '#/components/parameters/CsrfToken'), `${method} ${path} documents the CSRF header`);
  }
  const create = doc.paths['/api/webhooks'].post.requestBody.content['application/json'].schema;
  t.match(create, { additionalProperties: false, required: ['url'], properties: { url: { maxLength: MAX_URL_LENGTH }, secret: { minLength: MIN_SECRET_LENGTH } } }, 'the body limits are those of webhooks/schemas.ts');
  t.match(doc.paths['/api/webhooks/{id}'].patch.requestBody.content['application/json'].schema, { minProperties: 1, properties: { rotate_secret: { type: 'boolean' } } });

  const member = await inviteAndAccept(kernel.app, owner, 'member');
  const memberDoc = await fetchDoc(member);
  t.equal(await openApiProblems(memberDoc), null, 'valid for a member too');
  t.same(busPaths(memberDoc), [], 'a member sees neither events nor webhooks');
  t.notOk(tagNames(memberDoc).includes('Events') || tagNames(memberDoc).includes('Webhooks'), 'nor their tags');
  t.equal((await api(kernel.app, member).get('/api/webhooks')).status, 403, 'as the server refuses them');

  const role = await admin.post('/api/workspace/roles', { key: 'integrator', name: 'Integrator', permissions: { workspace: ['webhooks'], objects: {}, fields: {} } });
  t.equal(role.status, 201, JSON.stringify(role.body));
  const integratorDoc = await fetchDoc(await inviteAndAccept(kernel.app, owner, 'integrator'));
  t.equal(await openApiProblems(integratorDoc), null);
  t.same(busPaths(integratorDoc).sort(), Object.keys(ROUTES.webhooks).sort(), 'each capability brings its own routes');
  t.notOk(tagNames(integratorDoc).includes('Events'));
});

t.test('what the webhook and event routes answer conforms to the documented schemas', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const receiver = await startReceiver(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const doc: Doc = (await client.get('/api/openapi.json')).body;
  const answers = responseChecker(doc);
  const check = schemaChecker(doc);
  /** Asserts a real answer has a documented status and conforms to the schema documented for it. */
  const conforms = (path: string, method: string, res: { status: number; body: unknown }, what: string) => {
    t.ok(doc.paths[path][method].responses[res.status], `${what}: ${res.status} is documented`);
    t.equal(answers(path, method, res.status, res.body), null, `${what} conforms`);
  };

  receiver.statuses.set('/down', 500);
  const created = await client.post('/api/webhooks', { url: `${receiver.url}/down`, description: 'Sync', event_types: ['record.created'], objects: ['company'] });
  t.equal(created.status, 201, JSON.stringify(created.body));
  conforms('/api/webhooks', 'post', created, 'POST /api/webhooks');
  const id = created.body.data.id as string;

  const one = await client.get(`/api/webhooks/${id}`);
  t.equal(one.status, 200);
  conforms('/api/webhooks/{id}', 'get', one, 'GET /api/webhooks/:id');
  t.equal(check('Webhook', one.body.data), null, 'GET /api/webhooks/:id is a Webhook');
  t.not(check('Webhook', created.body.data), null, 'and Webhook admits no secret, so a leaked secret would fail');
  t.not(answers('/api/webhooks/{id}', 'get', 200, created.body), null, 'the GET answer with a secret would not conform');
  t.not(answers('/api/webhooks/{id}', 'get', 404, one.body), null, 'nor would a webhook in place of an error');
  conforms('/api/webhooks', 'get', await client.get('/api/webhooks'), 'GET /api/webhooks');
  conforms('/api/webhooks/{id}', 'patch', await client.patch(`/api/webhooks/${id}`, { description: null }), 'PATCH');
  const rotated = await client.patch(`/api/webhooks/${id}`, { rotate_secret: true });
  t.ok(rotated.body.data.secret);
  conforms('/api/webhooks/{id}', 'patch', rotated, 'PATCH with rotate_secret');

  await client.post('/api/objects/company', { name: 'Acme' });
  const dead = await waitFor(async () => (await client.get(`/api/events/dead-letters?subscriber_id=webhook:${id}`)).body.data[0], 8000);
  t.ok(dead, 'the failing webhook dead-lettered the event');
  const list = await client.get('/api/events/dead-letters');
  t.equal(list.status, 200);
  conforms('/api/events/dead-letters', 'get', list, 'GET /api/events/dead-letters');
  t.equal(check('DeadLetter', list.body.data[0]), null, 'each entry is a DeadLetter');
  const letter = await client.get(`/api/events/dead-letters/${dead.id}`);
  conforms('/api/events/dead-letters/{id}', 'get', letter, 'GET /api/events/dead-letters/:id');
  t.equal(check('BusEvent', letter.body.data.event), null, 'the kept event is a BusEvent');
  conforms('/api/events/subscribers', 'get', await client.get('/api/events/subscribers'), 'GET /api/events/subscribers');
  conforms('/api/webhooks/{id}/deliveries', 'get', await client.get(`/api/webhooks/${id}/deliveries`), 'GET /api/webhooks/:id/deliveries');

  const failed = await client.post(`/api/events/dead-letters/${dead.id}/replay`);
  t.equal(failed.status, 502);
  conforms('/api/events/dead-letters/{id}/replay', 'post', failed, 'a failed replay');
  receiver.statuses.set('/down', 204);
  const replayed = await client.post(`/api/events/dead-letters/${dead.id}/replay`);
  t.equal(replayed.status, 200);
  conforms('/api/events/dead-letters/{id}/replay', 'post', replayed, 'a replay');
  const ping = await client.post(`/api/webhooks/${id}/test`);
  t.match(ping.body.data, { delivered: true, status_code: 204 });
  conforms('/api/webhooks/{id}/test', 'post', ping, 'POST /api/webhooks/:id/test');

  const missing = await client.get('/api/events/dead-letters/6f1d1c1e-7a55-4e53-9c8b-4c1c3b0b9d10');
  t.equal(missing.status, 404);
  conforms('/api/events/dead-letters/{id}', 'get', missing, 'an unknown dead letter');
  const badQuery = await client.get('/api/events/dead-letters?limit=0');
  t.equal(badQuery.status, 400, 'the documented limit bounds hold on the server');
  conforms('/api/events/dead-letters', 'get', badQuery, 'a bad query');
  t.equal((await client.delete(`/api/events/dead-letters/${dead.id}`)).status, 204);
  t.equal((await client.delete(`/api/webhooks/${id}`)).status, 204);
  const gone = await client.get(`/api/webhooks/${id}`);
  conforms('/api/webhooks/{id}', 'get', gone, 'a deleted webhook');
});
