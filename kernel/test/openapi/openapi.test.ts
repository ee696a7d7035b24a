import t, { type Test } from 'tap';
import { ERROR_CODES } from '../../src/errors/index.js';
import { fieldType } from '../../src/metadata/field-types/index.js';
import { cachedDocument } from '../../src/openapi/index.js';
import { FILTER_OPS } from '../../src/records/query/index.js';
import { Access, BUILT_IN_ROLES } from '../../src/roles/index.js';
import { api } from '../helpers/api.js';
import { createApiKey, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { openApiProblems, schemaChecker, type Doc } from './fixtures/schema-check.js';

const select = { options: [{ value: 'lead', label: 'Lead' }, { value: 'won', label: 'Won' }] };

/** Every declarable field type, with a value to write. */
const FIELDS: { field: Record<string, unknown>; value: unknown }[] = [
  { field: { name: 'name', type: 'text', is_nullable: false }, value: 'Acme' },
  { field: { name: 'notes', type: 'long_text' }, value: 'long\ntext' },
  { field: { name: 'employees', type: 'number', options: { precision: 'integer' } }, value: 120 },
  { field: { name: 'score', type: 'number' }, value: 2.25 },
  { field: { name: 'revenue', type: 'currency' }, value: { amount: 1000.5, currency: 'EUR' } },
  { field: { name: 'active', type: 'boolean' }, value: true },
  { field: { name: 'founded', type: 'date' }, value: '2001-02-03' },
  { field: { name: 'last_contact', type: 'datetime' }, value: '2024-06-01T08:30:00.123Z' },
  { field: { name: 'email', type: 'email' }, value: 'hello@acme.test' },
  { field: { name: 'emails', type: 'emails' }, value: { primary: 'a@acme.test', additional: ['b@acme.test'] } },
  { field: { name: 'phone', type: 'phone' }, value: '+44 20 7946 0958' },
  { field: { name: 'phones', type: 'phones' }, value: { primary: '+1 555', additional: [] } },
  { field: { name: 'website', type: 'link' }, value: 'https://acme.test' },
  { field: { name: 'links', type: 'links' }, value: { primary: 'https://a.test' } },
  { field: { name: 'contact', type: 'full_name' }, value: { first_name: 'Ada', last_name: 'Lovelace' } },
  { field: { name: 'address', type: 'address' }, value: { city: 'Paris', country: 'FR' } },
  { field: { name: 'stage', type: 'select', options: select }, value: 'won' },
  { field: { name: 'tags', type: 'multi_select', options: select }, value: ['lead', 'won'] },
  { field: { name: 'rating', type: 'rating' }, value: 4 },
  { field: { name: 'extra', type: 'json' }, value: { any: ['thing', 1] } },
];

async function setUp(t: Test) {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app, { workspace: 'Acme Sales' });
  const client = api(kernel.app, owner);
  const company = await client.post('/api/metadata/objects', { name: 'company', label_plural: 'Companies', fields: FIELDS.map((f) => f.field) });
  t.equal(company.status, 201, JSON.stringify(company.body));
  const person = await client.post('/api/metadata/objects', {
    name: 'person',
    label_plural: 'People',
    fields: [{ name: 'name', type: 'text' }, { name: 'company', type: 'relation', options: { target: 'company', inverse_name: 'people' } }],
  });
  t.equal(person.status, 201, JSON.stringify(person.body));
  const fetchDoc = async (): Promise<Doc> => {
    const res = await client.get('/api/openapi.json');
    t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
    return res.body;
  };
  return { kernel, owner, client, fetchDoc };
}

t.test('the document is valid OpenAPI 3.1 and describes every object, route and the filter grammar', async (t) => {
  const { kernel, owner, client, fetchDoc } = await setUp(t);
  const res = await client.get('/api/openapi.json');
  t.match(res.raw.headers['content-type'], /^application\/json/);
  const doc = await fetchDoc();
  t.equal(await openApiProblems(doc), null, 'swagger-parser validates it');
  t.equal(doc.openapi, '3.1.0');
  t.equal(doc.info.title, 'Mosaic CRM API — Acme Sales');
  t.same(doc.servers, [{ url: '/', description: 'This server' }]);
  t.match(doc.components.securitySchemes, { sessionCookie: { type: 'apiKey', in: 'cookie', name: 'mosaic_session' }, apiKey: { type: 'http', scheme: 'bearer' } });
  t.match(doc.components.securitySchemes.sessionCookie.description, /x-csrf-token/);
  t.same(doc.security, [{ sessionCookie: [] }, { apiKey: [] }]);

  for (const [object, Name] of [['company', 'Company'], ['person', 'Person']]) {
    const base = `/api/objects/${object}`;
    t.same(Object.keys(doc.paths[base]).sort(), ['get', 'post'], `${base}`);
    t.same(Object.keys(doc.paths[`${base}/{id}`]).sort(), ['delete', 'get', 'patch']);
    t.ok(doc.paths[`${base}/batch`].post && doc.paths[`${base}/{id}/restore`].post, 'batch and restore');
    t.same(
      [doc.paths[base].get, doc.paths[base].post, doc.paths[`${base}/batch`].post, doc.paths[`${base}/{id}`].get, doc.paths[`${base}/{id}`].patch, doc.paths[`${base}/{id}`].delete, doc.paths[`${base}/{id}/restore`].post].map((o) => o.operationId),
      ['list', 'create', 'batch', 'get', 'update', 'delete', 'restore'].map((verb) => `${verb}${Name}`),
    );
    for (const suffix of ['', 'Create', 'Update', 'List']) t.ok(doc.components.schemas[`${Name}${suffix}`], `schema ${Name}${suffix}`);
    t.same(doc.paths[base].get.parameters.map((p: { name: string }) => p.name), ['filter', 'order_by', 'limit', 'starting_after', 'ending_before', 'fields', 'depth', 'count', 'deleted']);
    t.same(Object.keys(doc.paths[base].post.responses).sort(), ['201', '400', '401', '403', '404', '409']);
  }
  t.match(doc.paths['/api/objects/company/{id}'].delete.parameters.find((p: { name?: string }) => p.name === 'destroy'), { in: 'query', schema: { type: 'boolean', default: false } }, 'delete documents destroy');

  const company = doc.components.schemas.Company;
  for (const key of ['id', 'created_at', 'updated_at', 'deleted_at', 'created_by', 'position', ...FIELDS.map((f) => f.field.name as string)]) {
    t.ok(company.properties[key], `Company.${key}`);
  }
  t.same(company.properties.name.type, 'string', 'required text is not nullable');
  t.same(company.properties.notes.type, ['string', 'null']);
  t.same(company.properties.address.anyOf[0].required, ['street', 'city', 'postcode', 'region', 'country'], 'composites read as objects of their sub-fields');
  t.same(company.properties.stage.enum, ['lead', 'won', null]);
  t.match(doc.components.schemas.Person.properties.company_id, { type: ['string', 'null'], format: 'uuid' }, 'relations read as <name>_id');
  t.ok(doc.components.schemas.Person.properties.company.anyOf.some((s: { $ref?: string }) => s.$ref === '#/components/schemas/Company'), 'depth=1 embeds the target');
  t.same(company.properties.people.items, { $ref: '#/components/schemas/Person' }, 'and the reverse side');

  const create = doc.components.schemas.CompanyCreate;
  t.same(create.required, ['name']);
  t.equal(create.additionalProperties, false);
  t.notOk(create.properties.created_at, 'system timestamps are not writable');
  t.ok(create.properties.id && create.properties.position, 'id and position are');
  const metadata = await kernel.services.metadata.object(owner.workspaceId, 'company');
  for (const field of metadata.fields.filter((f) => !f.system && f.type !== 'one_to_many')) {
    const { title: _title, description: _description, ...schema } = create.properties[fieldType(field).recordKey(field)];
    const exact = fieldType(field).writeSchema(field);
    t.same(schema, field.isNullable ? { anyOf: [exact, { type: 'null' }] } : exact, `CompanyCreate.${field.name} is the kernel's write schema`);
  }
  t.notOk(doc.components.schemas.CompanyUpdate.properties.id, 'the id cannot change');
  t.equal(doc.components.schemas.CompanyUpdate.minProperties, 1);

  t.same(doc.components.schemas.Error.properties.error.properties.code.enum, Object.keys(ERROR_CODES), 'every error code');
  t.same(doc.components.schemas.PageInfo.required, ['has_next_page', 'has_previous_page', 'start_cursor', 'end_cursor']);
  t.same(doc.components.schemas.CompanyList.required, ['data', 'page_info']);

  const filter = doc.paths['/api/objects/company'].get.parameters.find((p: { name: string }) => p.name === 'filter').description as string;
  for (const op of FILTER_OPS) t.ok(filter.includes(`\`${op}\``), `operator ${op} documented`);
  for (const text of ['and(', 'or(', 'not(', 'NULL', 'NOT_NULL', '"quoted string"', 'address.city[eq]:Paris']) t.ok(filter.includes(text), `grammar mentions ${text}`);
  t.match(filter, /- `address\.city` \(text\): eq, neq, gt, gte, lt, lte, in, like, ilike, startsWith, is/, 'sub-fields and their operators');
  t.match(filter, /- `revenue` \(decimal, same as `revenue\.amount`\)/, 'bare composites name their main sub-field');
  t.match(filter, /- `tags` \(text_array\): containsAny, is/);
  t.match(filter, /- `extra` \(json\): is/);
  t.match(doc.info.description, /Filter grammar/);
  for (const text of ['and(', 'or(', 'not(', 'containsAny', 'startsWith', '| text_array | containsAny, is |']) t.ok(doc.info.description.includes(text), `info.description: ${text}`);
  for (const object of ['company', 'person']) {
    const description = doc.paths[`/api/objects/${object}`].get.parameters.find((p: { name: string }) => p.name === 'filter').description as string;
    const examples = [...description.split('Examples:')[1].matchAll(/^- `(.+?)`/gm)].map((m) => m[1]);
    t.equal(examples.length, 3, `${object} has examples`);
    for (const example of examples) {
      const res = await client.get(`/api/objects/${object}?filter=${encodeURIComponent(example)}`);
      t.equal(res.status, 200, `the example ${example} works: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
  }
  t.match(doc.paths['/api/objects/company'].get.parameters.find((p: { name: string }) => p.name === 'order_by').description, /`address\.city`/);

  t.ok(doc.paths['/api/metadata/objects'].post, 'metadata routes');
  t.ok(doc.paths['/api/metadata/objects/{object}/fields/{field}'].patch);
  t.same(doc.paths['/api/auth/sign-in'].post.security, [], 'sign-in needs no credential');
  t.ok(doc.paths['/api/workspace/members'].get && doc.paths['/api/workspace/api-keys'].post && doc.paths['/api/workspace/roles'].post);
  t.ok(doc.paths['/api/objects/company'].post.parameters.some((p: { $ref?: string }) => p.$ref === '#/components/parameters/CsrfToken'), 'unsafe methods document the CSRF header');
  const ids = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
  t.equal(new Set(ids).size, ids.length, 'operation ids are unique');

  const key = await createApiKey(kernel.app, owner, 'admin');
  const viaKey = await api(kernel.app, key).get('/api/openapi.json');
  t.equal(viaKey.status, 200, 'an API key gets the document too');
  t.equal(await openApiProblems(viaKey.body), null);
});

t.test('records the API returns conform to the generated schemas', async (t) => {
  const { client, fetchDoc } = await setUp(t);
  const doc = await fetchDoc();
  const check = schemaChecker(doc);
  const body = Object.fromEntries(FIELDS.map((f) => [f.field.name, f.value]));
  t.equal(check('CompanyCreate', body), null, 'the body is valid per the document');
  const created = await client.post('/api/objects/company', body);
  t.equal(created.status, 201, JSON.stringify(created.body));
  const sparse = await client.post('/api/objects/company', { name: 'Sparse' });
  for (const id of [created.body.data.id, sparse.body.data.id]) {
    const read = await client.get(`/api/objects/company/${id}`);
    t.equal(check('Company', read.body.data), null, 'GET /api/objects/company/:id conforms to Company');
    const known = Object.keys(doc.components.schemas.Company.properties);
    t.same(Object.keys(read.body.data).filter((k) => !known.includes(k)), [], 'and has no undocumented keys');
  }
  const person = await client.post('/api/objects/person', { name: 'Ann', company_id: created.body.data.id });
  t.equal(check('Person', (await client.get(`/api/objects/person/${person.body.data.id}?depth=1`)).body.data), null, 'depth=1 embeds conform');
  t.equal(check('Company', (await client.get(`/api/objects/company/${created.body.data.id}?depth=1`)).body.data), null, 'reverse side conforms');
  t.equal(check('CompanyList', (await client.get('/api/objects/company?count=true&limit=1')).body), null, 'lists conform');
  const projected = await client.get(`/api/objects/company/${created.body.data.id}?fields=name`);
  t.equal(check('Company', projected.body.data), null, 'projections conform');

  const missing = await client.get('/api/objects/company/6f1d1c1e-7a55-4e53-9c8b-4c1c3b0b9d10');
  t.equal(missing.status, 404);
  t.equal(check('Error', missing.body), null, 'errors conform to Error');
  const invalid = await client.post('/api/objects/company', { name: 'X', rating: 9, details: 1 });
  t.equal(invalid.status, 400);
  t.equal(check('Error', invalid.body), null);

  for (const bad of [{ rating: 9, name: 'X' }, { notes: 'no name' }, { name: 'X', stage: 'nope' }, { name: 'X', revenue: { amount: 1, currency: 'euro' } }, { name: 'X', unknown: 1 }]) {
    t.not(check('CompanyCreate', bad), null, `the document rejects ${JSON.stringify(bad)}`);
    t.equal((await client.post('/api/objects/company', bad)).status, 400, 'and so does the server');
  }
  t.not(check('CompanyUpdate', {}), null, 'an empty update is invalid');
  t.equal((await client.patch(`/api/objects/company/${sparse.body.data.id}`, {})).status, 400);
});

t.test('the document follows metadata changes and is cached between them', async (t) => {
  const { kernel, owner, client, fetchDoc } = await setUp(t);
  const first = await client.get('/api/openapi.json');
  const etag = first.raw.headers.etag as string;
  t.match(etag, /^"[0-9a-f]{16}"$/);
  t.match(first.body.info.version, /^\d+\.\d+\.\d+\+[0-9a-f]{16}$/);
  t.equal((await client.get('/api/openapi.json')).raw.headers.etag, etag, 'the same document while nothing changes');
  const revalidate = await kernel.app.inject({ method: 'GET', url: '/api/openapi.json', headers: { ...owner.headers, 'if-none-match': etag } });
  t.equal(revalidate.statusCode, 304, 'If-None-Match answers 304');

  const metadata = await kernel.services.metadata.get(owner.workspaceId);
  const access = new Access('owner', BUILT_IN_ROLES[0].permissions);
  t.equal(cachedDocument(metadata, access, 'Acme Sales'), cachedDocument(metadata, access, 'Acme Sales'), 'built once per metadata and role');

  const added = await client.post('/api/metadata/objects/company/fields', { name: 'nickname', type: 'text' });
  t.equal(added.status, 201, JSON.stringify(added.body));
  const after = await client.get('/api/openapi.json');
  t.not(after.raw.headers.etag, etag, 'a new document after the change');
  t.match(after.body.components.schemas.Company.properties.nickname, { type: ['string', 'null'] });
  t.ok(after.body.components.schemas.CompanyCreate.properties.nickname);
  t.notOk(first.body.components.schemas.Company.properties.nickname);
  t.not(await kernel.services.metadata.get(owner.workspaceId), metadata, 'the store handed out new metadata');

  await client.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] });
  const withDeal = await fetchDoc();
  t.ok(withDeal.paths['/api/objects/deal/{id}'].get, 'new objects appear');
  t.equal(await openApiProblems(withDeal), null);
  await client.delete('/api/metadata/objects/deal');
  t.notOk((await fetchDoc()).paths['/api/objects/deal'], 'deleted objects disappear');
});

t.test('object names that collide with fixed or derived schema names get distinct names', async (t) => {
  const { client, fetchDoc } = await setUp(t);
  for (const name of ['error', 'company_list', 'a_1', 'a1']) {
    const res = await client.post('/api/metadata/objects', { name, fields: [{ name: 'title', type: 'text' }] });
    t.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
  }
  const doc = await fetchDoc();
  t.equal(await openApiProblems(doc), null);
  const schemas = doc.components.schemas;
  t.ok(schemas.Error.properties.error, 'Error stays the error schema');
  t.equal(doc.paths['/api/objects/error'].get.operationId, 'listErrorRecord');
  t.equal(doc.paths['/api/objects/company_list'].get.operationId, 'listCompanyListRecord');
  t.same(schemas.CompanyList.required, ['data', 'page_info'], "CompanyList stays company's list");
  t.not(doc.paths['/api/objects/a_1'].get.operationId, doc.paths['/api/objects/a1'].get.operationId);
  for (const name of Object.keys(schemas)) t.match(name, /^[a-zA-Z0-9._-]+$/);
});

t.test('401 without a credential', async (t) => {
  const kernel = await startTestKernel(t);
  const res = await kernel.app.inject({ method: 'GET', url: '/api/openapi.json' });
  t.equal(res.statusCode, 401);
  t.equal(res.json().error.code, 'MOSAIC_ERR_AUTH_REQUIRED');
  const bad = await kernel.app.inject({ method: 'GET', url: '/api/openapi.json', headers: { authorization: 'Bearer mk_nope' } });
  t.equal(bad.statusCode, 401);
});
