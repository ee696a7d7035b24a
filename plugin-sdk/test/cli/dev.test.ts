import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { startTestKernel } from '../../src/testing/index.js';
import { cli, Output, scaffold } from './helpers.js';

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

t.test('dev needs a kernel URL and key, and a kernel that answers', async (t) => {
  const { folder } = await scaffold('dev-config');
  const none = await cli(['dev'], { cwd: folder, env: {} });
  t.equal(none.code, 1);
  t.match(none.stderr, /^error MOSAIC_ERR_CLI_KERNEL_CONFIG: dev needs the kernel URL and an admin API key/);
  const notHttp = await cli(['dev', '--kernel', 'ftp://x', '--api-key', 'k'], { cwd: folder, env: {} });
  t.match(notHttp.stderr, /^error MOSAIC_ERR_CLI_KERNEL_CONFIG: --kernel must be an http\(s\) URL/);
  const port = await closedPort();
  const unreachable = await cli(['dev'], { cwd: folder, env: { MOSAIC_URL: `http://127.0.0.1:${port}`, MOSAIC_API_KEY: 'k' } });
  t.equal(unreachable.code, 1);
  t.equal(unreachable.stderr, `error MOSAIC_ERR_CLI_KERNEL_UNREACHABLE: The kernel at http://127.0.0.1:${port} did not answer GET /api/plugins (ECONNREFUSED).\n`);
});

t.test('dev installs the plugin, then hot-reloads it on every change', async (t) => {
  const { root, folder } = await scaffold('dev');
  const kernel = await startTestKernel({ env: { PLUGIN_DIRS: root } });
  t.teardown(() => kernel.close());

  t.test('a wrong API key is refused before anything is watched', async (t) => {
    const run = await cli(['dev', '--kernel', kernel.url, '--api-key', 'wrong'], { cwd: folder, env: {} });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_KERNEL_REFUSED: The kernel refused to list its plugins: MOSAIC_ERR_AUTH_/);
  });

  t.test('install, reload after a source change, survive a broken save, reload after a manifest change', async (t) => {
    const stop = new AbortController();
    const stdout = new Output();
    const stderr = new Output();
    const done = cli(['dev', '--kernel', kernel.url], { cwd: folder, env: { MOSAIC_API_KEY: kernel.apiKey }, signal: stop.signal, stdout, stderr });
    await stdout.waitFor(/installed acme\.notes 0\.1\.0 in http:\/\/127\.0\.0\.1:\d+ \(\d+ ms\)\n/, 30_000, 0);
    await stdout.waitFor(/watching /, 30_000, 0);
    const stats = async () => (await kernel.request<Record<string, unknown>>('GET', '/api/plugins/acme.notes/stats')).body;
    t.has(await stats(), { notes_created: 0 }, 'the installed plugin answers');

    const source = await readFile(join(folder, 'src/server.ts'), 'utf8');
    let mark = stdout.text.length;
    await writeFile(join(folder, 'src/server.ts'), source.replace('return { notes_created:', "return { hot: 'reloaded', notes_created:"));
    await stdout.waitFor(/reloaded acme\.notes 0\.1\.0 in /, 30_000, mark);
    t.has(await stats(), { hot: 'reloaded' }, 'the kernel runs the new code');

    mark = stderr.text.length;
    await writeFile(join(folder, 'src/server.ts'), `import fs from 'node:fs';\nexport const leak = fs;\n${source}`);
    await stderr.waitFor(/error MOSAIC_ERR_CLI_NODE_BUILTIN/, 30_000, mark);
    t.has(await stats(), { hot: 'reloaded' }, 'a broken save changes nothing in the kernel');

    mark = stdout.text.length;
    const manifest = JSON.parse(await readFile(join(folder, 'mosaic-plugin.json'), 'utf8'));
    await writeFile(join(folder, 'src/server.ts'), source);
    await stdout.waitFor(/reloaded acme\.notes 0\.1\.0 in /, 30_000, mark);
    mark = stdout.text.length;
    await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify({ ...manifest, version: '0.1.1' }, null, 2));
    await stdout.waitFor(/reloaded acme\.notes 0\.1\.1 in /, 30_000, mark);
    const listed = await kernel.request<{ data: { id: string; version: string }[] }>('GET', '/api/plugins');
    t.match(listed.body.data.find((p) => p.id === 'acme.notes'), { version: '0.1.1' });

    mark = stderr.text.length;
    await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify({ ...manifest, version: '0.1.2', routes: [...manifest.routes, { method: 'GET', path: '/x', handler: 'missing' }] }, null, 2));
    await stderr.waitFor(/error MOSAIC_ERR_CLI_HANDLER_MISSING/, 30_000, mark);

    stop.abort();
    const run = await done;
    t.equal(run.code, 0, run.stderr);
    t.match(run.stdout, /dev stopped\n$/);
  });
});
