import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { create as createTar, extract } from 'tar';
import { parseMarketplaceIndex, verifyPackage } from '../../src/package/index.js';
import { cli, scaffold, tempDir } from './helpers.js';

/** Sets the scaffold's version and packs it, signed with `key` (or unsigned), to `<root>/<name>.tgz`. */
async function packVersion(root: string, folder: string, version: string, key: string | null, name = `acme.notes-${version}`): Promise<string> {
  const manifestPath = join(folder, 'mosaic-plugin.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  await writeFile(manifestPath, JSON.stringify({ ...manifest, version, description: `Version ${version}.` }, null, 2));
  const out = join(root, `${name}.tgz`);
  const run = await cli(['pack', '--no-build', '--out', out, ...(key ? ['--key', key] : [])], { cwd: folder });
  if (run.code !== 0) throw new Error(run.stderr);
  return out;
}

t.test('publish adds signed versions to a marketplace folder and refuses a version twice', async (t) => {
  const { root, folder } = await scaffold('publish');
  t.equal((await cli(['build'], { cwd: folder })).code, 0);
  t.equal((await cli(['keygen', '--out', 'keys', '--publisher', 'acme'], { cwd: root })).code, 0);
  const key = join(root, 'keys/signing.key');
  const pub = JSON.parse(await readFile(join(root, 'keys/signing.pub.json'), 'utf8'));
  const market = join(root, 'market');
  const v1 = await packVersion(root, folder, '0.1.0', key);

  const run = await cli(['publish', v1, '--to', 'market', '--publisher-name', 'Acme Inc.', '--public-key', 'keys/signing.pub.json'], { cwd: root });
  t.equal(run.code, 0, run.stderr);
  t.equal(run.stdout, `published acme.notes 0.1.0 (publisher acme, signed by key ${pub.key_id}): ${join(market, 'packages/acme.notes-0.1.0.tgz')}\n`);
  const archived = await readFile(join(market, 'packages/acme.notes-0.1.0.tgz'));
  t.same(archived, await readFile(v1), 'the archive is copied as it is');
  const index = JSON.parse(await readFile(join(market, 'index.json'), 'utf8'));
  t.ok(parseMarketplaceIndex(index).ok, 'the index is valid');
  t.same(index.publishers, { acme: { name: 'Acme Inc.', keys: [{ key_id: pub.key_id, public_key: pub.public_key }] } });
  t.match(index.plugins['acme.notes'], { name: 'Acme notes', description: 'Version 0.1.0.', publisher: 'acme' });
  t.same(index.plugins['acme.notes'].versions['0.1.0'], {
    file: 'packages/acme.notes-0.1.0.tgz',
    sha256: createHash('sha256').update(archived).digest('hex'),
    size: archived.byteLength,
    kernel: '^1.0.0',
    permissions: { events: { subscribe: ['record.created'] }, kv: true },
    dependencies: {},
    signed_by: pub.key_id,
    published_at: index.plugins['acme.notes'].versions['0.1.0'].published_at,
  });
  t.ok(Date.now() - Date.parse(index.plugins['acme.notes'].versions['0.1.0'].published_at) < 3_600_000, 'published_at is now');
  t.same(index.revoked, []);
  // A kernel trusting the index's keys accepts what was published.
  const trusted = index.publishers.acme.keys.map((k: { key_id: string; public_key: string }) => ({ keyId: k.key_id, publicKey: k.public_key, publisher: 'acme' }));
  t.equal((await verifyPackage(archived, { trustedKeys: trusted, allowUnsigned: false, kernelVersion: '1.0.0' })).manifest.version, '0.1.0');

  t.test('the same version again is refused and nothing changes', async (t) => {
    const before = await readFile(join(market, 'index.json'));
    const again = await cli(['publish', v1, '--to', market], { cwd: root });
    t.equal(again.code, 1);
    t.match(again.stderr, /^error MOSAIC_ERR_CLI_PUBLISH_EXISTS: acme\.notes 0\.1\.0 is already published in .*market; published versions are never replaced\./);
    t.same(await readFile(join(market, 'index.json')), before);
    t.same((await readdir(market)).sort(), ['index.json', 'packages'], 'no lock or temporary file is left');
  });

  t.test('a new version is added under the same publisher, without naming it again', async (t) => {
    const v2 = await packVersion(root, folder, '0.2.0', key);
    const next = await cli(['publish', v2, '--to', market], { cwd: root });
    t.equal(next.code, 0, next.stderr);
    const index = JSON.parse(await readFile(join(market, 'index.json'), 'utf8'));
    t.same(Object.keys(index.plugins['acme.notes'].versions).sort(), ['0.1.0', '0.2.0']);
    t.equal(index.plugins['acme.notes'].description, 'Version 0.2.0.', 'the newest version describes the plugin');
    t.equal(index.publishers.acme.name, 'Acme Inc.');
  });

  t.test('an archive changed after signing is refused with the kernel rule that caught it', async (t) => {
    const v3 = await packVersion(root, folder, '0.3.0', key);
    const unpacked = await tempDir('publish-tamper');
    await extract({ file: v3, cwd: unpacked });
    // One byte changed, the size kept: only the hash tells.
    const server = await readFile(join(unpacked, 'dist/server.js'));
    server[40] = server[40] === 0x20 ? 0x09 : 0x20;
    await writeFile(join(unpacked, 'dist/server.js'), server);
    const tampered = join(root, 'tampered.tgz');
    await createTar({ gzip: true, file: tampered, cwd: unpacked, portable: true }, ['files.json', 'signature.json', 'mosaic-plugin.json', 'dist/server.js', 'dist/views.js', 'README.md']);
    const run = await cli(['publish', tampered, '--to', market], { cwd: root });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_PACKAGE_REFUSED: MOSAIC_ERR_PACKAGE_HASH_MISMATCH: dist\/server\.js: its SHA-256 differs from files\.json/);
    await t.rejects(readFile(join(market, 'packages/acme.notes-0.3.0.tgz')), 'nothing was copied');
  });

  t.test('unsigned is refused unless --allow-unsigned', async (t) => {
    const v4 = await packVersion(root, folder, '0.4.0', null);
    const refused = await cli(['publish', v4, '--to', market], { cwd: root });
    t.equal(refused.code, 1);
    t.match(refused.stderr, /^error MOSAIC_ERR_CLI_PACKAGE_REFUSED: MOSAIC_ERR_PACKAGE_UNSIGNED: /);
    const allowed = await cli(['publish', v4, '--to', market, '--allow-unsigned'], { cwd: root });
    t.equal(allowed.code, 0, allowed.stderr);
    t.match(allowed.stdout, /published acme\.notes 0\.4\.0 \(publisher acme, unsigned\)/);
    const index = JSON.parse(await readFile(join(market, 'index.json'), 'utf8'));
    t.equal(index.plugins['acme.notes'].versions['0.4.0'].signed_by, null);
  });

  t.test("a key of another publisher cannot sign this publisher's plugin", async (t) => {
    t.equal((await cli(['keygen', '--out', 'keys', '--name', 'mallory', '--publisher', 'mallory'], { cwd: root })).code, 0);
    const v5 = await packVersion(root, folder, '0.5.0', join(root, 'keys/mallory.key'));
    // Unknown to the marketplace: refused.
    const unknown = await cli(['publish', v5, '--to', market], { cwd: root });
    t.equal(unknown.code, 1);
    t.match(unknown.stderr, /^error MOSAIC_ERR_CLI_PACKAGE_REFUSED: MOSAIC_ERR_PACKAGE_KEY_UNKNOWN: /);
    // Offered as a new key, but for a plugin that belongs to acme: refused too.
    const hijack = await cli(['publish', v5, '--to', market, '--public-key', 'keys/mallory.pub.json'], { cwd: root });
    t.equal(hijack.code, 1);
    t.match(hijack.stderr, /^error MOSAIC_ERR_CLI_PACKAGE_REFUSED: MOSAIC_ERR_PACKAGE_KEY_UNKNOWN: acme\.notes 0\.5\.0 is signed with key [0-9a-f]{16}, which is not a key of publisher "acme"\./);
    const named = await cli(['publish', v5, '--to', market, '--publisher', 'mallory', '--public-key', 'keys/mallory.pub.json'], { cwd: root });
    t.equal(named.code, 1);
    t.match(named.stderr, /^error MOSAIC_ERR_CLI_PUBLISH_PUBLISHER: acme\.notes belongs to publisher "acme" in this marketplace, not "mallory"\./);
    const index = JSON.parse(await readFile(join(market, 'index.json'), 'utf8'));
    t.same(Object.keys(index.publishers), ['acme'], 'the refused key was not added');
  });

  t.test("a second key of the plugin's publisher, offered without a publisher of its own", async (t) => {
    t.equal((await cli(['keygen', '--out', 'keys', '--name', 'second'], { cwd: root })).code, 0);
    const v6 = await packVersion(root, folder, '0.6.0', join(root, 'keys/second.key'));
    const run = await cli(['publish', v6, '--to', market, '--public-key', 'keys/second.pub.json'], { cwd: root });
    t.equal(run.code, 0, run.stderr);
    const second = JSON.parse(await readFile(join(root, 'keys/second.pub.json'), 'utf8'));
    const index = JSON.parse(await readFile(join(market, 'index.json'), 'utf8'));
    t.same(index.publishers.acme.keys.map((k: { key_id: string }) => k.key_id), [pub.key_id, second.key_id]);
    t.equal(index.plugins['acme.notes'].versions['0.6.0'].signed_by, second.key_id);
  });

  t.test('revoke lists a version as revoked', async (t) => {
    const run = await cli(['revoke', 'acme.notes@0.1.0', '--from', market, '--reason', 'Leaks notes to the log.'], { cwd: root });
    t.equal(run.code, 0, run.stderr);
    t.equal(run.stdout, 'revoked acme.notes 0.1.0\n');
    const index = JSON.parse(await readFile(join(market, 'index.json'), 'utf8'));
    t.same(index.revoked, [{ id: 'acme.notes', version: '0.1.0', reason: 'Leaks notes to the log.' }]);
    t.ok(index.plugins['acme.notes'].versions['0.1.0'], 'the version stays listed, so kernels can flag installed copies');
    const again = await cli(['revoke', 'acme.notes@0.1.0', '--from', market, '--reason', 'Again.'], { cwd: root });
    t.equal(again.code, 0);
    t.equal(again.stdout, 'acme.notes 0.1.0 was already revoked\n');
    const unknown = await cli(['revoke', 'acme.notes@9.9.9', '--from', market, '--reason', 'x'], { cwd: root });
    t.equal(unknown.code, 1);
    t.match(unknown.stderr, /^error MOSAIC_ERR_CLI_REVOKE_UNKNOWN: .*market has no acme\.notes 9\.9\.9 to revoke\./);
    const noReason = await cli(['revoke', 'acme.notes@0.2.0', '--from', market], { cwd: root });
    t.equal(noReason.code, 1);
    t.match(noReason.stderr, /^error MOSAIC_ERR_CLI_USAGE: required option '--reason <text>' not specified/);
  });
});

t.test('publish refuses what it cannot attribute or trust', async (t) => {
  const { root, folder } = await scaffold('publish-refuse');
  t.equal((await cli(['build'], { cwd: folder })).code, 0);
  t.equal((await cli(['keygen', '--out', 'keys'], { cwd: root })).code, 0);
  const archive = await packVersion(root, folder, '1.0.0', join(root, 'keys/signing.key'));

  t.test('a new plugin needs a publisher', async (t) => {
    const run = await cli(['publish', archive, '--to', 'market', '--public-key', 'keys/signing.pub.json'], { cwd: root });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_PUBLISH_PUBLISHER: Name the publisher of acme\.notes with --publisher <id>/);
  });

  t.test('a public key file whose id is not its key', async (t) => {
    const pub = JSON.parse(await readFile(join(root, 'keys/signing.pub.json'), 'utf8'));
    await writeFile(join(root, 'keys/forged.pub.json'), JSON.stringify({ ...pub, key_id: '0123456789abcdef' }));
    const run = await cli(['publish', archive, '--to', 'market', '--publisher', 'acme', '--public-key', 'keys/forged.pub.json'], { cwd: root });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_KEY_INVALID: .*forged\.pub\.json: key_id 0123456789abcdef is not the id of its public_key/);
  });

  t.test('a folder whose index.json is not a marketplace index', async (t) => {
    await mkdir(join(root, 'broken'));
    const pub = JSON.parse(await readFile(join(root, 'keys/signing.pub.json'), 'utf8'));
    const publishers = { acme: { name: 'Acme', keys: [{ key_id: '0123456789abcdef', public_key: pub.public_key }] }, other: { name: 'Other', keys: [{ key_id: pub.key_id, public_key: pub.public_key }] }, again: { name: 'Again', keys: [{ key_id: pub.key_id, public_key: pub.public_key }] } };
    await writeFile(join(root, 'broken/index.json'), JSON.stringify({ format: 1, name: 'x', publishers, plugins: { 'acme.notes': { name: 'x', description: '', publisher: 'ghost', versions: { '1.0.0': { file: '../../etc/passwd' } } } }, revoked: [] }));
    const run = await cli(['publish', archive, '--to', 'broken', '--publisher', 'acme', '--public-key', 'keys/signing.pub.json'], { cwd: root });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_MARKETPLACE_INVALID: .*broken\/index\.json is not a valid marketplace index\.\n/);
    t.match(run.stderr, /\n {2}- plugins\.acme\.notes\.publisher: "ghost" is not in publishers\n/);
    t.match(run.stderr, /\n {2}- plugins\.acme\.notes\.versions\.1\.0\.0\.file: must be packages\/acme\.notes-1\.0\.0\.tgz\n/);
    t.match(run.stderr, /\n {2}- publishers\.acme\.keys\[0\]\.key_id: is not the id of its public_key\n/);
    t.match(run.stderr, new RegExp(`\\n {2}- publishers\\.again\\.keys\\[0\\]: key ${pub.key_id} is also a key of publisher "other"\\n`));
    const revoke = await cli(['revoke', 'acme.notes@1.0.0', '--from', 'nowhere', '--reason', 'x'], { cwd: root });
    t.equal(revoke.code, 1);
    t.match(revoke.stderr, /^error MOSAIC_ERR_CLI_MARKETPLACE_INVALID: .*nowhere\/index\.json does not exist/);
  });

  t.test('a marketplace another publish is changing', async (t) => {
    await mkdir(join(root, 'busy'));
    await writeFile(join(root, 'busy/index.json.lock'), '123\n');
    const run = await cli(['publish', archive, '--to', 'busy', '--publisher', 'acme', '--public-key', 'keys/signing.pub.json'], { cwd: root });
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_MARKETPLACE_BUSY: .*busy\/index\.json\.lock exists: another publish or revoke is changing this marketplace\./);
    t.same((await readdir(join(root, 'busy'))).sort(), ['index.json.lock', 'packages'], 'the lock of the other run is kept');
  });

  t.test('with a publisher and its key, it is published', async (t) => {
    const run = await cli(['publish', archive, '--to', 'market', '--publisher', 'acme', '--public-key', 'keys/signing.pub.json'], { cwd: root });
    t.equal(run.code, 0, run.stderr);
    // A version with build metadata keeps it, in the index and the file name.
    const build = await packVersion(root, folder, '1.0.1+build.7', join(root, 'keys/signing.key'));
    const next = await cli(['publish', build, '--to', 'market'], { cwd: root });
    t.equal(next.code, 0, next.stderr);
    const index = JSON.parse(await readFile(join(root, 'market/index.json'), 'utf8'));
    t.ok(parseMarketplaceIndex(index).ok);
    t.equal(index.plugins['acme.notes'].versions['1.0.1+build.7'].file, 'packages/acme.notes-1.0.1+build.7.tgz');
  });
});
