import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';

// people on a live kernel, installed after its dependency companies (the folders are built: this
// plugin's by `mosaic-plugin test`, companies' bundles are committed).

const COMPANIES = fileURLToPath(new URL('../../companies', import.meta.url));
const PEOPLE = fileURLToPath(new URL('..', import.meta.url));
type ErrorBody = { error: { code: string; message: string; details?: unknown } };
interface Person { id: string; full_name: { first_name: string; last_name: string }; company_id: string | null }
interface Row { id: string; full_name: { first_name: string; last_name: string }; job_title: string | null; email: string | null; phone: string | null }

let kernel: TestKernel;
let acme: string;
let globex: string;
let ada: Person;
const expectStatus = (res: TestResponse, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));
const create = async <T>(object: string, data: unknown): Promise<T> => {
  const res = await kernel.request<{ data: T }>('POST', `/api/objects/${object}`, data);
  expectStatus(res, 201);
  return res.body.data;
};

before(async () => {
  kernel = await startTestKernel({ plugins: [COMPANIES, PEOPLE] });
});
after(() => kernel?.close());

describe('people on a live kernel', () => {
  test('installed after companies; person relates to company and company gets the reverse side "people"', async () => {
    assert.deepEqual(Object.keys(kernel.plugins), ['companies', 'people']);
    const company = await kernel.request<{ data: { fields: { name: string; type: string }[] } }>('GET', '/api/metadata/objects/company');
    assert.equal(company.body.data.fields.find((f) => f.name === 'people')?.type, 'one_to_many');
    const person = await kernel.request<{ data: { label_field: string; fields: { name: string; type: string }[] } }>('GET', '/api/metadata/objects/person');
    assert.equal(person.body.data.label_field, 'full_name');
    assert.deepEqual(
      person.body.data.fields.filter((f) => ['full_name', 'emails', 'phones', 'job_title', 'city', 'avatar', 'company'].includes(f.name)).map((f) => [f.name, f.type]).sort(),
      [['avatar', 'link'], ['city', 'text'], ['company', 'relation'], ['emails', 'emails'], ['full_name', 'full_name'], ['job_title', 'text'], ['phones', 'phones']],
    );
  });

  test('people are created at a company and listed by its People route, by last name', async () => {
    acme = (await create<{ id: string }>('company', { name: 'Acme', domain: 'acme.com' })).id;
    globex = (await create<{ id: string }>('company', { name: 'Globex', domain: 'globex.com' })).id;
    ada = await create<Person>('person', {
      full_name: { first_name: 'Ada', last_name: 'Lovelace' },
      emails: { primary: 'ada@acme.com', additional: ['ada@example.org'] },
      phones: { primary: '+44 20 7946 0000', additional: [] },
      job_title: 'CTO',
      city: 'London',
      avatar: 'https://example.com/ada.png',
      company_id: acme,
    });
    await create('person', { full_name: { first_name: 'Charles', last_name: 'Babbage' }, job_title: 'Engineer', company_id: acme });
    await create('person', { full_name: { first_name: 'Hank', last_name: 'Scorpio' }, company_id: globex });

    const res = await kernel.request<{ data: Row[]; next_cursor: string | null }>('GET', `/api/plugins/people/companies/${acme}/people`);
    expectStatus(res, 200);
    assert.deepEqual(res.body.data.map((p) => [p.full_name.last_name, p.job_title, p.email, p.phone]), [
      ['Babbage', 'Engineer', null, null],
      ['Lovelace', 'CTO', 'ada@acme.com', '+44 20 7946 0000'],
    ]);
    assert.equal(res.body.next_cursor, null);

    const missing = await kernel.request<ErrorBody>('GET', '/api/plugins/people/companies/00000000-0000-4000-8000-000000000000/people');
    expectStatus(missing, 404);
    assert.equal(missing.body.error.code, 'PEOPLE_COMPANY_NOT_FOUND');
  });

  test('the companies overview counts the people of a company once people is installed', async () => {
    const res = await kernel.request<{ related: { people: number | null; opportunities: number | null } }>('GET', `/api/plugins/companies/overview/${acme}`);
    expectStatus(res, 200);
    assert.deepEqual(res.body.related, { people: 2, opportunities: null });
  });

  test('the People tab is a record.tab on company, served with the plugin\'s bundle', async () => {
    const res = await kernel.request<{ data: { id: string; views: { slot: string; element: string; object: string }[]; views_url: string }[] }>('GET', '/api/plugins');
    const plugin = res.body.data.find((p) => p.id === 'people')!;
    assert.deepEqual(plugin.views.map((v) => [v.slot, v.element, v.object]), [['record.tab', 'people-company-tab', 'company']]);
    expectStatus(await kernel.request('GET', plugin.views_url), 200);
  });

  test('uninstalling or disabling companies while people is enabled is refused, naming people', async () => {
    for (const [method, path, body] of [['DELETE', '/api/plugins/companies', undefined], ['PATCH', '/api/plugins/companies', { enabled: false }]] as const) {
      const res = await kernel.request<ErrorBody>(method, path, body);
      expectStatus(res, 409);
      assert.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_DEPENDED_ON');
      assert.match(res.body.error.message, /\bpeople\b/);
    }
    const still = await kernel.request<{ enabled: boolean }>('GET', '/api/plugins/companies');
    assert.equal(still.body.enabled, true);
  });

  test('deleting a company for good leaves its people, without a company (on_delete set_null)', async () => {
    expectStatus(await kernel.request('DELETE', `/api/objects/company/${acme}?destroy=true`), 200);
    const res = await kernel.request<{ data: Person }>('GET', `/api/objects/person/${ada.id}`);
    expectStatus(res, 200);
    assert.equal(res.body.data.company_id, null);
  });
});
