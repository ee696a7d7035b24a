import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';

// companies alone on a live kernel: the object as the manifest declares it, and the overview route
// when neither people nor opportunities is installed. The counts with them are tested in their plugins.

const PLUGIN = fileURLToPath(new URL('..', import.meta.url));
type ErrorBody = { error: { code: string; message: string } };
interface Field { name: string; type: string; is_unique: boolean; options: { options?: { value: string }[] } }

let kernel: TestKernel;
const expectStatus = (res: TestResponse, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));

before(async () => {
  kernel = await startTestKernel({ plugins: [PLUGIN] });
});
after(() => kernel?.close());

describe('companies on a live kernel', () => {
  test('install creates company with its fields, name as the label field', async () => {
    const res = await kernel.request<{ data: { label_field: string; fields: Field[] } }>('GET', '/api/metadata/objects/company');
    expectStatus(res, 200);
    const fields = new Map(res.body.data.fields.map((f) => [f.name, f]));
    assert.equal(res.body.data.label_field, 'name');
    for (const [name, type] of [['name', 'text'], ['domain', 'text'], ['employees', 'number'], ['industry', 'select'], ['annual_revenue', 'currency'], ['address', 'address'], ['linkedin', 'link'], ['ideal_customer', 'boolean'], ['account_owner_id', 'member']]) {
      assert.equal(fields.get(name!)?.type, type, name);
    }
    assert.equal(fields.get('domain')?.is_unique, true);
    assert.ok(fields.get('industry')?.options.options?.some((o) => o.value === 'software'));
  });

  test('a company is stored with every kind of value; a second company on the same domain is refused', async () => {
    const made = await kernel.request<{ data: Record<string, unknown> }>('POST', '/api/objects/company', {
      name: 'Acme',
      domain: 'acme.com',
      employees: 120,
      industry: 'manufacturing',
      annual_revenue: { amount: 2500000, currency: 'EUR' },
      address: { street: '1 Rue de la Paix', city: 'Paris', postcode: '75002', country: 'FR' },
      linkedin: 'https://www.linkedin.com/company/acme',
    });
    expectStatus(made, 201);
    assert.equal(made.body.data.ideal_customer, false, 'ideal_customer defaults to false');
    assert.deepEqual(made.body.data.annual_revenue, { amount: 2500000, currency: 'EUR' });

    const twin = await kernel.request<ErrorBody>('POST', '/api/objects/company', { name: 'Acme again', domain: 'acme.com' });
    expectStatus(twin, 409);
    assert.equal(twin.body.error.code, 'MOSAIC_ERR_RECORD_UNIQUE');
    const noName = await kernel.request<ErrorBody>('POST', '/api/objects/company', { domain: 'nameless.com' });
    expectStatus(noName, 400);
    assert.equal(noName.body.error.code, 'MOSAIC_ERR_RECORD_INVALID');
    const badIndustry = await kernel.request<ErrorBody>('POST', '/api/objects/company', { name: 'X', industry: 'piracy' });
    expectStatus(badIndustry, 400);
    assert.equal(badIndustry.body.error.code, 'MOSAIC_ERR_RECORD_INVALID');
  });

  test('GET /overview/:id answers the company, with null counts while people and opportunities are not installed', async () => {
    const list = await kernel.request<{ data: { id: string }[] }>('GET', '/api/objects/company?filter=domain[eq]:acme.com');
    const id = list.body.data[0]!.id;
    const res = await kernel.request<{ company: { id: string; name: string }; related: unknown }>('GET', `/api/plugins/companies/overview/${id}`);
    expectStatus(res, 200);
    assert.equal(res.body.company.name, 'Acme');
    assert.deepEqual(res.body.related, { people: null, opportunities: null });

    for (const wrong of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const missing = await kernel.request<ErrorBody>('GET', `/api/plugins/companies/overview/${wrong}`);
      expectStatus(missing, 404);
      assert.equal(missing.body.error.code, 'COMPANIES_NOT_FOUND');
    }
  });

  test('the overview tab is listed on company and its bundle is served', async () => {
    const res = await kernel.request<{ data: { id: string; views: { slot: string; element: string; object: string }[]; views_url: string }[] }>('GET', '/api/plugins');
    const plugin = res.body.data.find((p) => p.id === 'companies')!;
    assert.deepEqual(plugin.views.map((v) => [v.slot, v.element, v.object]), [['record.tab', 'companies-overview-tab', 'company']]);
    const bundle = await kernel.request<string>('GET', plugin.views_url);
    expectStatus(bundle, 200);
    assert.match(bundle.body, /customElements\.define\(name, element\)|defineView/);
  });
});
