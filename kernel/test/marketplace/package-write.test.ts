import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { isMosaicError } from '../../src/errors/index.js';
import { readPackage, writePackage } from '../../src/marketplace/package/index.js';
import { packExample, type ExamplePackages } from './package-fixtures.js';

let pkgs: ExamplePackages;
t.before(async () => {
  pkgs = await packExample();
});

async function verified() {
  return readPackage(pkgs.signed, { trustedKeys: [pkgs.publisher.trusted], allowUnsigned: false, kernelVersion: '1.0.0' });
}

t.test('a verified package is written whole into a new folder', async (t) => {
  const pkg = await verified();
  const dir = join(pkgs.dir, 'installed/deal-notes-1.0.0');
  await writePackage(pkg, dir);
  for (const [path, bytes] of pkg.files) {
    t.same(await readFile(join(dir, path)), bytes, path);
    t.equal((await stat(join(dir, path))).mode & 0o777, 0o644, `${path} is a plain readable file`);
  }
  t.same((await readdir(join(pkgs.dir, 'installed'))).sort(), ['deal-notes-1.0.0'], 'no staging folder is left');
});

t.test('an empty folder is filled; a folder with anything in it is refused', async (t) => {
  const pkg = await verified();
  const empty = join(pkgs.dir, 'empty');
  await mkdir(empty);
  await writePackage(pkg, empty);
  t.same((await readdir(empty)).sort(), ['README.md', 'dist', 'mosaic-plugin.json']);

  const busy = join(pkgs.dir, 'busy');
  await mkdir(busy);
  await writeFile(join(busy, 'keep.txt'), 'mine');
  const error = await writePackage(pkg, busy).catch((e: unknown) => e);
  t.ok(isMosaicError(error));
  t.match((error as Error).message, /busy: the folder is not empty/);
  t.same(await readdir(busy), ['keep.txt'], 'nothing was written');
});

t.test('paths are checked again when writing: a hand-made package cannot escape', async (t) => {
  const pkg = await verified();
  const forged = { ...pkg, files: new Map([...pkg.files, ['../escaped.txt', Buffer.from('x')]]) };
  const parent = join(pkgs.dir, 'forged');
  const error = await writePackage(forged, join(parent, 'plugin')).catch((e: unknown) => e);
  t.ok(isMosaicError(error) && error.code === 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', String(error));
  await t.rejects(stat(join(parent, 'escaped.txt')), 'nothing escaped');
  t.same(await readdir(parent), [], 'the staging folder was removed, and the target never appeared');
});
