import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import t from 'tap';
import { startTestKernel } from '../../src/testing/index.js';
import { loadKernelModule } from '../../src/testing/kernel-module.js';
import { cli, scaffold } from '../cli/helpers.js';

const BASE = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function databaseExists(url: string): Promise<boolean> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

t.test('a kernel with no plugins: an owner, an admin key, request() and close()', async (t) => {
  const kernel = await startTestKernel();
  t.teardown(() => kernel.close());
  t.match(kernel.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.match(kernel.workspaceId, /^[0-9a-f-]{36}$/);
  t.type(kernel.apiKey, 'string');
  const list = await kernel.request<{ data: unknown[] }>('GET', '/api/plugins');
  t.equal(list.status, 200);
  t.same(list.body.data, []);
  t.match(list.headers['content-type'], /application\/json/);
  const created = await kernel.request<{ data: { name: string } }>('POST', '/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const missing = await kernel.request<{ error: { code: string } }>('GET', '/api/objects/nothing');
  t.equal(missing.status, 404, 'error statuses are returned, not thrown');
  t.type(missing.body.error.code, 'string');
  t.same(kernel.plugins, {});
});

t.test('close() stops the kernel and drops its database; twice is fine', async (t) => {
  const kernel = await startTestKernel();
  t.ok(await databaseExists(kernel.databaseUrl), 'a throwaway database exists while the kernel runs');
  await kernel.close();
  await kernel.close();
  await t.rejects(fetch(`${kernel.url}/api/plugins`), 'nothing listens any more');
  t.notOk(await databaseExists(kernel.databaseUrl), 'the database is gone');
});

t.test('the scaffold, built, is installed with the grant its manifest asks for', async (t) => {
  const { root, folder } = await scaffold('testkernel');
  t.equal((await cli(['build'], { cwd: folder })).code, 0);
  const kernel = await startTestKernel({ plugins: [folder], env: { PLUGIN_DIRS: root } });
  t.teardown(() => kernel.close());
  t.match(kernel.plugins['acme.notes'], { id: 'acme.notes', version: '0.1.0' });
  const created = await kernel.request<{ id: string }>('POST', '/api/plugins/acme.notes/notes', { title: 'From the SDK test' });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const list = await kernel.request<{ data: { id: string }[] }>('GET', '/api/plugins/acme.notes/notes');
  t.same(list.body.data.map((n) => n.id), [created.body.id]);
});

t.test('coded failures, with nothing left running', async (t) => {
  t.test('an unreachable PostgreSQL', async (t) => {
    await t.rejects(startTestKernel({ env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' } }), { code: 'MOSAIC_ERR_TESTING_DATABASE', message: /127\.0\.0\.1:1/ });
  });

  t.test('an owner that cannot sign up', async (t) => {
    await t.rejects(startTestKernel({ env: { SIGNUP: 'closed' } }), { code: 'MOSAIC_ERR_TESTING_SETUP' });
  });

  t.test('a plugin folder the kernel refuses', async (t) => {
    const { folder } = await scaffold('refused');
    // Not built: the manifest names dist/server.js, which does not exist.
    await t.rejects(startTestKernel({ plugins: [folder] }), { code: 'MOSAIC_ERR_TESTING_INSTALL', message: /refused to install .*acme\.notes: 400 MOSAIC_ERR_PLUGIN_MANIFEST_INVALID/ });
    await t.rejects(startTestKernel({ plugins: [join(folder, 'nope')] }), { code: 'MOSAIC_ERR_TESTING_INSTALL', message: /Could not read/ });
  });

  t.test('a kernel module that cannot be loaded', async (t) => {
    await t.rejects(loadKernelModule('@mosaic/no-such-kernel'), { code: 'MOSAIC_ERR_TESTING_KERNEL_UNAVAILABLE', message: /Could not load @mosaic\/no-such-kernel/ });
    await t.rejects(loadKernelModule('node:path'), { code: 'MOSAIC_ERR_TESTING_KERNEL_UNAVAILABLE', message: /does not export createKernel/ });
  });

  t.test('Node started without --no-node-snapshot', async (t) => {
    const script = `import { startTestKernel } from '@mosaic/plugin-sdk/testing';
      try { await startTestKernel(); } catch (error) { console.log(error.code); }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    t.equal(stdout.trim(), 'MOSAIC_ERR_TESTING_NODE_FLAGS');
  });
});
