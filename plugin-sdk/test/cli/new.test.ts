import { execFile } from 'node:child_process';
import { readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { validateManifest } from '../../src/index.js';
import { cli, scaffold, tempDir } from './helpers.js';

const repoRoot = new URL('../../../', import.meta.url).pathname;

t.test('new writes a complete plugin folder whose manifest is valid', async (t) => {
  const { root, folder } = await scaffold('new');
  t.same((await readdir(folder, { recursive: true })).sort(), [
    '.gitignore', 'README.md', 'mosaic-plugin.json', 'package.json', 'src', 'src/server.ts', 'src/views.ts', 'test', 'test/plugin.test.ts', 'tsconfig.json',
  ]);
  const manifest = JSON.parse(await readFile(join(folder, 'mosaic-plugin.json'), 'utf8'));
  t.ok(validateManifest(manifest).ok, 'the manifest validates');
  t.equal(manifest.id, 'acme.notes');
  t.match(manifest.$schema, /manifest\.schema\.json$/);
  t.same(manifest.routes.map((r: { handler: string }) => r.handler), ['listNotes', 'createNote', 'stats']);
  t.same(manifest.events.map((e: { handler: string }) => e.handler), ['onNoteCreated']);
  t.same(manifest.jobs.map((j: { handler: string }) => j.handler), ['dailySummary']);
  t.equal(manifest.views[0].element, 'acme-notes-page');
  const server = await readFile(join(folder, 'src/server.ts'), 'utf8');
  t.match(server, /definePlugin\(/);
  t.match(server, /records\.find/, 'a route reads records');
  t.match(await readFile(join(folder, 'test/plugin.test.ts'), 'utf8'), /@mosaic\/plugin-sdk\/testing/);

  t.test('--dir chooses the folder', async (t) => {
    const run = await cli(['new', 'solo', '--dir', 'somewhere/else'], { cwd: root });
    t.equal(run.code, 0, run.stderr);
    t.match(run.stdout, 'created solo in somewhere/else');
    const solo = JSON.parse(await readFile(join(root, 'somewhere/else/mosaic-plugin.json'), 'utf8'));
    t.equal(solo.objects[0].name, 'solo_note');
    t.equal(solo.views[0].element, 'solo-page');
  });

  t.test('a folder that exists and is not empty is left alone', async (t) => {
    const run = await cli(['new', 'acme.notes'], { cwd: root });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_TARGET_EXISTS: .*acme\.notes already exists/);
  });

  t.test('an invalid or reserved id is refused with the manifest rule that refuses it', async (t) => {
    for (const id of ['Not An Id', 'record', 'a']) {
      const run = await cli(['new', id, '--dir', join(root, 'x')], { cwd: root });
      t.equal(run.code, 1, id);
      t.match(run.stderr, /^error MOSAIC_ERR_CLI_ID_INVALID: /, id);
      t.match(run.stderr, /\n {2}- id: /, `${id}: the rule is printed`);
    }
    t.same(await readdir(root).then((names) => names.includes('x')), false, 'nothing was written');
  });
});

t.test('the scaffold type-checks under its own tsconfig', async (t) => {
  const { folder } = await scaffold('typecheck');
  // As an npm install would: the SDK, @types/node and TypeScript reachable from the plugin folder.
  await symlink(join(repoRoot, 'node_modules'), join(folder, 'node_modules'));
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: folder }).then(
    () => ({ code: 0, out: '' }),
    (error: { code: number; stdout: string }) => ({ code: error.code, out: error.stdout }),
  );
  t.equal(result.code, 0, result.out);
});

t.test('usage errors, --help and --version', async (t) => {
  const cwd = await tempDir('usage');
  const unknown = await cli(['frobnicate'], { cwd });
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /^error MOSAIC_ERR_CLI_USAGE: unknown command 'frobnicate'; see mosaic-plugin --help\.\n$/);
  const missing = await cli(['new'], { cwd });
  t.equal(missing.code, 1);
  t.match(missing.stderr, /^error MOSAIC_ERR_CLI_USAGE: missing required argument 'id'/);
  const option = await cli(['build', '--frob'], { cwd });
  t.match(option.stderr, /^error MOSAIC_ERR_CLI_USAGE: unknown option '--frob'/);
  const help = await cli(['--help'], { cwd });
  t.equal(help.code, 0);
  for (const command of ['new', 'build', 'test', 'dev', 'pack']) t.match(help.stdout, new RegExp(`\\n  ${command}\\b`));
  const version = await cli(['--version'], { cwd });
  t.equal(version.code, 0);
  t.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

t.test('the bin shim runs the CLI through tsx with exit codes passed through', async (t) => {
  const bin = join(repoRoot, 'plugin-sdk/bin/mosaic-plugin.js');
  const cwd = await tempDir('bin');
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [bin, ...args], { cwd }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const ok = await run(['new', 'acme.bin']);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, 'created acme.bin');
  const failed = await run(['build', 'nowhere']);
  t.equal(failed.code, 1);
  t.match(failed.stderr, /^error MOSAIC_ERR_CLI_FOLDER: No plugin folder at .*nowhere\.\n$/);
  await writeFile(join(cwd, 'acme.bin/mosaic-plugin.json'), '{ nope');
  const notJson = await run(['build', 'acme.bin']);
  t.equal(notJson.code, 1);
  t.match(notJson.stderr, /^error MOSAIC_ERR_CLI_FOLDER: .*is not valid JSON/);
});
