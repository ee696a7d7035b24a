import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { list as listTar } from 'tar';
import { verifyPackage } from '../../src/package/index.js';
import { cli, scaffold } from './helpers.js';

async function entries(archive: string): Promise<string[]> {
  const names: string[] = [];
  await listTar({ file: archive, onReadEntry: (entry) => void names.push(entry.path) });
  return names;
}

t.test('pack --key signs files.json, and the package reader accepts it', async (t) => {
  const { root, folder } = await scaffold('pack-sign');
  t.equal((await cli(['keygen', '--out', 'keys', '--publisher', 'acme'], { cwd: root })).code, 0);
  const pub = JSON.parse(await readFile(join(root, 'keys/signing.pub.json'), 'utf8'));
  const run = await cli(['pack', 'acme.notes', '--key', 'keys/signing.key'], { cwd: root });
  t.equal(run.code, 0, run.stderr);
  const archive = join(folder, 'acme.notes-0.1.0.tgz');
  t.match(run.stdout, new RegExp(`packed acme\\.notes 0\\.1\\.0, signed by key ${pub.key_id}: `));
  t.same((await entries(archive)).sort(), ['README.md', 'dist/server.js', 'dist/views.js', 'files.json', 'mosaic-plugin.json', 'signature.json']);

  const bytes = await readFile(archive);
  const trusted = [{ keyId: pub.key_id, publicKey: pub.public_key, publisher: 'acme' }];
  const pkg = await verifyPackage(bytes, { trustedKeys: trusted, allowUnsigned: false, kernelVersion: '1.0.0' });
  t.same(pkg.signer, { keyId: pub.key_id, publisher: 'acme' });
  t.equal(pkg.manifest.id, 'acme.notes');
  await t.rejects(verifyPackage(bytes, { trustedKeys: [], allowUnsigned: true }), { code: 'MOSAIC_ERR_PACKAGE_KEY_UNKNOWN' });

  t.test('the same files and key give the same archive', async (t) => {
    const again = await cli(['pack', '--no-build', '--key', '../keys/signing.key', '--out', join(root, 'again.tgz')], { cwd: folder });
    t.equal(again.code, 0, again.stderr);
    t.same(await readFile(join(root, 'again.tgz')), bytes);
  });

  t.test('without --key the package is unsigned, and pack says so', async (t) => {
    const unsigned = await cli(['pack', '--no-build', '--out', join(root, 'unsigned.tgz')], { cwd: folder });
    t.equal(unsigned.code, 0, unsigned.stderr);
    t.match(unsigned.stdout, /packed acme\.notes 0\.1\.0 \(unsigned\): /);
    t.match(unsigned.stderr, /^warning: the package is unsigned: kernels refuse it unless unsigned packages are allowed for development; sign it with --key/);
    t.notOk((await entries(join(root, 'unsigned.tgz'))).includes('signature.json'));
    await t.rejects(verifyPackage(await readFile(join(root, 'unsigned.tgz')), { trustedKeys: trusted, allowUnsigned: false }), { code: 'MOSAIC_ERR_PACKAGE_UNSIGNED' });
  });

  t.test('a key that is not an ed25519 private key', async (t) => {
    const missing = await cli(['pack', '--no-build', '--key', 'nope.key'], { cwd: folder });
    t.equal(missing.code, 1);
    t.match(missing.stderr, /^error MOSAIC_ERR_CLI_KEY_INVALID: Cannot read the signing key .*nope\.key: ENOENT\./);
    const notKey = await cli(['pack', '--no-build', '--key', '../keys/signing.pub.json'], { cwd: folder });
    t.equal(notKey.code, 1);
    t.match(notKey.stderr, /^error MOSAIC_ERR_CLI_KEY_INVALID: .*signing\.pub\.json is not an ed25519 private key made by mosaic-plugin keygen/);
  });

  t.test('a key inside the plugin folder is not packed, with a warning', async (t) => {
    t.equal((await cli(['keygen', '--name', 'inside'], { cwd: folder })).code, 0);
    const inside = await cli(['pack', '--no-build', '--key', 'inside.key', '--out', join(root, 'inside.tgz')], { cwd: folder });
    t.equal(inside.code, 0, inside.stderr);
    t.match(inside.stderr, /warning: the signing key .*inside\.key lies inside the plugin folder; it is not packed/);
    t.notOk((await entries(join(root, 'inside.tgz'))).some((p) => p.includes('inside')));
  });
});

t.test('pack refuses to package a private key', async (t) => {
  const { root, folder } = await scaffold('pack-secret');
  t.equal((await cli(['keygen', '--out', 'keys'], { cwd: root })).code, 0);
  const manifestPath = join(folder, 'mosaic-plugin.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));

  t.test('a .pem or .key file in the package file set', async (t) => {
    await writeFile(join(folder, 'icon.pem'), 'not really an icon');
    await writeFile(manifestPath, JSON.stringify({ ...manifest, icon: 'icon.pem' }));
    const run = await cli(['pack', '--no-build'], { cwd: folder });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_KEY_IN_PACKAGE: icon\.pem would be packed; \.key and \.pem files are never packed/);
  });

  t.test('the signing key is itself one of the packaged files', async (t) => {
    await writeFile(join(folder, 'icon.txt'), await readFile(join(root, 'keys/signing.key')));
    await writeFile(manifestPath, JSON.stringify({ ...manifest, icon: 'icon.txt' }));
    const run = await cli(['pack', '--no-build', '--key', 'icon.txt'], { cwd: folder });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_KEY_IN_PACKAGE: The signing key .*icon\.txt is the packaged file icon\.txt; keep the key outside the plugin folder\./);
    await t.rejects(readFile(join(folder, 'acme.notes-0.1.0.tgz')), 'nothing was written');
  });

  t.test('a packaged file holding the signing key, or another private key', async (t) => {
    await writeFile(manifestPath, JSON.stringify(manifest));
    const key = await readFile(join(root, 'keys/signing.key'), 'utf8');
    const readme = await readFile(join(folder, 'README.md'), 'utf8');
    await writeFile(join(folder, 'README.md'), `${readme}\nOur key, for safekeeping:\n\n    ${key.split('\n').join('\n    ')}\n`);
    const run = await cli(['pack', '--key', '../keys/signing.key'], { cwd: folder });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_KEY_IN_PACKAGE: README\.md contains the signing key itself; remove it before packing\.\n$/);

    // Another key (say, a documented example) is packed, with a warning.
    t.equal((await cli(['keygen', '--out', 'keys', '--name', 'example'], { cwd: root })).code, 0);
    await writeFile(join(folder, 'README.md'), `${readme}\n${await readFile(join(root, 'keys/example.key'), 'utf8')}`);
    const warned = await cli(['pack', '--no-build', '--key', '../keys/signing.key'], { cwd: folder });
    t.equal(warned.code, 0, warned.stderr);
    t.match(warned.stderr, /^warning: README\.md contains a PEM private key; make sure it is not a real one before publishing\.\n/);
  });
});
