import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { list as listTar, extract } from 'tar';
import { cli, scaffold, tempDir } from './helpers.js';

async function entries(archive: string): Promise<string[]> {
  const names: string[] = [];
  await listTar({ file: archive, onReadEntry: (entry) => void names.push(entry.path) });
  return names;
}

t.test('pack builds, then archives the manifest, bundles and README with files.json', async (t) => {
  const { root, folder } = await scaffold('pack');
  const run = await cli(['pack', 'acme.notes'], { cwd: root });
  t.equal(run.code, 0, run.stderr);
  const archive = join(folder, 'acme.notes-0.1.0.tgz');
  t.match(run.stdout, new RegExp(`packed acme\\.notes 0\\.1\\.0 \\(unsigned\\): ${archive.replace(/[.]/g, '\\.')} \\([\\d.]+ k?B\\)\\n$`));
  t.same((await entries(archive)).sort(), ['README.md', 'dist/server.js', 'dist/views.js', 'files.json', 'mosaic-plugin.json']);

  const out = await tempDir('unpacked');
  await extract({ file: archive, cwd: out });
  const list = JSON.parse(await readFile(join(out, 'files.json'), 'utf8'));
  t.match(list, { format: 1, id: 'acme.notes', version: '0.1.0' });
  t.same(list.files.map((f: { path: string }) => f.path).sort(), ['README.md', 'dist/server.js', 'dist/views.js', 'mosaic-plugin.json']);
  for (const file of list.files as { path: string; size: number; sha256: string }[]) {
    const bytes = await readFile(join(out, file.path));
    t.equal(file.sha256, createHash('sha256').update(bytes).digest('hex'), `${file.path}: the hash is of the archived bytes`);
    t.equal(file.size, bytes.byteLength);
    t.same(bytes, await readFile(join(folder, file.path)), `${file.path} is the folder's file`);
  }

  t.test('the same files give the same archive', async (t) => {
    const again = await cli(['pack', '--out', join(root, 'again.tgz')], { cwd: folder });
    t.equal(again.code, 0, again.stderr);
    t.same(await readFile(join(root, 'again.tgz')), await readFile(archive));
  });

  t.test('the icon the manifest names is packed', async (t) => {
    await writeFile(join(folder, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const manifest = JSON.parse(await readFile(join(folder, 'mosaic-plugin.json'), 'utf8'));
    await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify({ ...manifest, icon: 'icon.svg' }));
    const run = await cli(['pack', '--out', join(root, 'icon.tgz')], { cwd: folder });
    t.equal(run.code, 0, run.stderr);
    t.ok((await entries(join(root, 'icon.tgz'))).includes('icon.svg'));
  });
});

t.test('pack refuses symbolic links and missing files', async (t) => {
  const { root, folder } = await scaffold('pack-refuse');
  const outside = join(root, 'outside.md');
  await writeFile(outside, 'not part of the plugin');

  t.test('a README that is a symbolic link', async (t) => {
    await rename(join(folder, 'README.md'), join(folder, 'README.real.md'));
    await symlink(outside, join(folder, 'README.md'));
    const run = await cli(['pack'], { cwd: folder });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_PACK_FILE: README\.md is a symbolic link; a package holds regular files only\.\n$/);
    await rm(join(folder, 'README.md'));
    await rename(join(folder, 'README.real.md'), join(folder, 'README.md'));
  });

  t.test('a bundle reached through a symbolic link to a folder outside', async (t) => {
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(join(elsewhere, 'server.js'), 'globalThis.__mosaicPlugin = { routes: {}, events: {}, jobs: {}, hooks: {} };');
    await writeFile(join(elsewhere, 'views.js'), '');
    await rm(join(folder, 'dist'), { recursive: true, force: true });
    await symlink(elsewhere, join(folder, 'dist'));
    const run = await cli(['pack', '--no-build'], { cwd: folder });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_PACK_FILE: dist\/server\.js is reached through a symbolic link/);
    await rm(join(folder, 'dist'));
  });

  t.test('a bundle that was never built', async (t) => {
    const run = await cli(['pack', '--no-build'], { cwd: folder });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_PACK_FILE: dist\/server\.js does not exist; the manifest names it\.\n$/);
  });

  t.test('a build failure stops pack before anything is written', async (t) => {
    await writeFile(join(folder, 'src/server.ts'), "import fs from 'node:fs';\nexport default fs;\n");
    const run = await cli(['pack'], { cwd: folder });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_NODE_BUILTIN/);
    await t.rejects(readFile(join(folder, 'acme.notes-0.1.0.tgz')));
  });
});
