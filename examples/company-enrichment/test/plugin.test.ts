import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel } from '@mosaic/plugin-sdk/testing';

const here = fileURLToPath(new URL('..', import.meta.url));
/** The companies plugin this one depends on (in this repository, next to the examples). */
const companies = fileURLToPath(new URL('../../../plugins/companies', import.meta.url));

/** A stand-in for the enrichment API on loopback: it knows one domain. */
function fakeApi(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(req.url ?? '');
    const domain = new URL(req.url ?? '/', 'http://x').searchParams.get('domain');
    if (domain !== 'acme.test') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ industry: 'Rockets', employees: 420 }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls })));
}

/**
 * The plugin as built, with its HTTP allow-list pointed at the fake API: the kernel enforces the
 * allow-list, so the test cannot reach loopback with the production manifest.
 */
async function pluginFor(apiUrl: string): Promise<string> {
  const folder = join(await mkdtemp(join(tmpdir(), 'company-enrichment-')), 'company-enrichment');
  await cp(here, folder, { recursive: true, filter: (src) => !src.includes('node_modules') });
  const manifest = JSON.parse(await readFile(join(folder, 'mosaic-plugin.json'), 'utf8'));
  manifest.permissions.http = [`${apiUrl}/*`];
  await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify(manifest, null, 2));
  return folder;
}

async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('company enrichment in a real kernel', () => {
  let kernel: TestKernel;
  let api: Awaited<ReturnType<typeof fakeApi>>;

  before(async () => {
    api = await fakeApi();
    kernel = await startTestKernel({ plugins: [companies, await pluginFor(api.url)], env: { PLUGIN_HTTP_ALLOW_PRIVATE: 'true' } });
    const saved = await kernel.request('PATCH', '/api/plugins/company-enrichment', { settings: { api_url: api.url } });
    assert.equal(saved.status, 200);
  });
  after(async () => {
    await kernel?.close();
    api?.server.close();
  });

  test('a new company is enriched by the event handler', async () => {
    const created = await kernel.request<{ data: { id: string } }>('POST', '/api/objects/company', { name: 'Acme', domain: 'acme.test' });
    assert.equal(created.status, 201);
    const company = await until(async () => {
      const res = await kernel.request<{ data: { enriched_industry: string | null; enriched_employees: number | null; enriched_at: string | null } }>('GET', `/api/objects/company/${created.body.data.id}`);
      return res.body.data.enriched_at ? res.body.data : undefined;
    }, 'the enrichment');
    assert.equal(company.enriched_industry, 'Rockets');
    assert.equal(company.enriched_employees, 420);
    assert.ok(api.calls.includes('/v1/companies?domain=acme.test'));

    const tab = await kernel.request<{ industry: string; employees: number }>('GET', `/api/plugins/company-enrichment/companies/${created.body.data.id}`);
    assert.deepEqual({ industry: tab.body.industry, employees: tab.body.employees }, { industry: 'Rockets', employees: 420 });
  });

  test('a company the API does not know is left alone, and a refresh says so', async () => {
    const created = await kernel.request<{ data: { id: string } }>('POST', '/api/objects/company', { name: 'Nobody', domain: 'nobody.test' });
    await until(async () => (api.calls.includes('/v1/companies?domain=nobody.test') ? true : undefined), 'the API call');
    const refresh = await kernel.request<{ error: { code: string } }>('POST', `/api/plugins/company-enrichment/companies/${created.body.data.id}/refresh`);
    assert.equal(refresh.status, 404);
    assert.equal(refresh.body.error.code, 'COMPANY_ENRICHMENT_UNKNOWN');
  });
});
