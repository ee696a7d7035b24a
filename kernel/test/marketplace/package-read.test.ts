import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import { isMosaicError } from '../../src/errors/index.js';
import { readPackage, type ReadPackageOptions } from '../../src/marketplace/package/index.js';
import { dataOf, entriesOf, packExample, paxHeader, replaceEntry, tarGz, type ExamplePackages, type TarEntry } from './package-fixtures.js';

// Every refusal is shown with a really tampered archive, made from the example plugin packed by the
// real CLI. Tampered archives re-sign files.json with the trusted key whenever the test is about a
// later rule, so the refusal seen is the one under test and not an earlier one.

let pkgs: ExamplePackages;
let base: TarEntry[];
let options: ReadPackageOptions;

t.before(async () => {
  pkgs = await packExample();
  base = await entriesOf(pkgs.signed);
  options = { trustedKeys: [pkgs.publisher.trusted], allowUnsigned: false, kernelVersion: '1.0.0' };
});

async function refused(t: Test, bytes: Buffer, code: string, message: RegExp, opts: Partial<ReadPackageOptions> = {}): Promise<void> {
  const error = await readPackage(bytes, { ...options, ...opts }).then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(isMosaicError(error), `refused with a MosaicError (got ${String(error)})`);
  if (!isMosaicError(error)) return;
  t.equal(error.code, code);
  t.equal(error.statusCode, 422);
  t.match(error.message, message);
}

/** The entries with files.json replaced by `list` and signature.json re-signed by the trusted publisher. */
function resigned(entries: TarEntry[], list: unknown): TarEntry[] {
  const bytes = Buffer.from(`${JSON.stringify(list, null, 2)}\n`);
  const withList = replaceEntry(entries, 'files.json', (e) => ({ ...e, data: bytes }));
  return replaceEntry(withList, 'signature.json', (e) => ({ ...e, data: pkgs.publisher.sign(bytes) }));
}

function fileList(): { format: 1; id: string; version: string; files: { path: string; size: number; sha256: string }[] } {
  return JSON.parse(dataOf(base, 'files.json').toString('utf8'));
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

t.test('the signed example plugin is read and verified in memory', async (t) => {
  const pkg = await readPackage(pkgs.signed, options);
  t.equal(pkg.manifest.id, 'deal-notes');
  t.equal(pkg.manifest.version, '1.0.0');
  t.same([...pkg.files.keys()].sort(), ['README.md', 'dist/server.js', 'dist/views.js', 'mosaic-plugin.json']);
  t.same(pkg.signer, { keyId: pkgs.publisher.trusted.keyId, publisher: 'examples' });
  t.equal(pkg.sha256, sha256(pkgs.signed));
  t.same(pkg.fileList.files.map((f) => f.path).sort(), [...pkg.files.keys()].sort());
  t.same(pkg.files.get('dist/server.js'), dataOf(base, 'dist/server.js'));
});

t.test('folder entries, as other tar tools write them, are accepted and dropped', async (t) => {
  const withFolders = [{ path: 'dist/', type: 'Directory' as const }, ...base];
  const pkg = await readPackage(tarGz(withFolders), options);
  t.same([...pkg.files.keys()].sort(), ['README.md', 'dist/server.js', 'dist/views.js', 'mosaic-plugin.json']);
  await refused(t, tarGz([{ path: '../', type: 'Directory' }, ...base]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /climbs out/);
  // A file that is also a folder of another file could never be written.
  await refused(t, tarGz([...base, { path: 'README.md/x', data: Buffer.from('x') }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /"README\.md" is unsafe: it is a file and also a folder of another file/);
});

t.test('one changed byte in a bundle: MOSAIC_ERR_PACKAGE_HASH_MISMATCH', async (t) => {
  const tampered = replaceEntry(base, 'dist/server.js', (e) => {
    const data = Buffer.from(e.data!);
    data[100] = data[100] ^ 0x01;
    return { ...e, data };
  });
  await refused(t, tarGz(tampered), 'MOSAIC_ERR_PACKAGE_HASH_MISMATCH', /^dist\/server\.js: its SHA-256 differs from files\.json/);
});

t.test('a signature of another files.json: MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID', async (t) => {
  // A genuine signature by the trusted key, but over a different version of files.json.
  const other = Buffer.from(`${JSON.stringify({ ...fileList(), version: '0.9.0' }, null, 2)}\n`);
  const swapped = replaceEntry(base, 'signature.json', (e) => ({ ...e, data: pkgs.publisher.sign(other) }));
  await refused(t, tarGz(swapped), 'MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID', /does not match files\.json and key [0-9a-f]{16}; the package was changed after it was signed/);
});

t.test('signed with a key that is not trusted: MOSAIC_ERR_PACKAGE_KEY_UNKNOWN', async (t) => {
  await refused(t, pkgs.signedByStranger, 'MOSAIC_ERR_PACKAGE_KEY_UNKNOWN', new RegExp(`signed with key ${pkgs.stranger.trusted.keyId}, which is not a trusted publisher key`));
  // Trusted, it passes: the stranger's package itself is sound.
  const pkg = await readPackage(pkgs.signedByStranger, { ...options, trustedKeys: [pkgs.stranger.trusted] });
  t.equal(pkg.signer?.publisher, 'someone-else');
});

t.test("a trusted key id with another key's signature: MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID", async (t) => {
  const list = dataOf(base, 'files.json');
  const forgedBy = JSON.parse(pkgs.stranger.sign(list).toString('utf8'));
  const forged = { ...forgedBy, key_id: pkgs.publisher.trusted.keyId };
  const bytes = tarGz(replaceEntry(base, 'signature.json', (e) => ({ ...e, data: Buffer.from(JSON.stringify(forged)) })));
  await refused(t, bytes, 'MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID', /does not match/);

  t.test('a trusted entry whose public key does not hash to its id matches nothing', async (t) => {
    const confused = { keyId: pkgs.publisher.trusted.keyId, publicKey: pkgs.stranger.trusted.publicKey, publisher: 'examples' };
    await refused(t, bytes, 'MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID', /does not match/, { trustedKeys: [confused] });
  });

  t.test('a malformed signature.json', async (t) => {
    const broken = tarGz(replaceEntry(base, 'signature.json', (e) => ({ ...e, data: Buffer.from('{"format":1,"algorithm":"rsa"}') })));
    await refused(t, broken, 'MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID', /signature\.json is malformed: algorithm must be "ed25519"/);
  });
});

t.test('a ../ path: MOSAIC_ERR_PACKAGE_PATH_UNSAFE', async (t) => {
  await refused(t, tarGz([...base, { path: '../evil.js', data: Buffer.from('evil') }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /"\.\.\/evil\.js" is unsafe: it climbs out of the package with \.\./);
  await refused(t, tarGz([...base, { path: 'dist/../../evil.js', data: Buffer.from('evil') }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /climbs out/);
});

t.test('an absolute path: MOSAIC_ERR_PACKAGE_PATH_UNSAFE', async (t) => {
  await refused(t, tarGz([...base, { path: '/etc/cron.d/evil', data: Buffer.from('* * * * * root evil') }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /"\/etc\/cron\.d\/evil" is unsafe: it is absolute/);
  await refused(t, tarGz([...base, { path: 'C:/evil', data: Buffer.from('x') }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /it is absolute/);
});

t.test('a backslash, a duplicate, and "." segments: MOSAIC_ERR_PACKAGE_PATH_UNSAFE', async (t) => {
  await refused(t, tarGz([...base, { path: '..\\evil.js', data: Buffer.from('x') }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /it holds a backslash/);
  const readme = base.find((e) => e.path === 'README.md')!;
  await refused(t, tarGz([...base, readme]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /"README\.md" is unsafe: it appears twice/);
  // Two names one case-insensitive file system would merge are duplicates too.
  await refused(t, tarGz([...base, { ...readme, path: 'readme.MD' }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /appears twice/);
  await refused(t, tarGz([...base, { path: './dist/x.js', data: Buffer.from('x') }]), 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', /empty or "\." segment/);
});

t.test('a symbolic link: MOSAIC_ERR_PACKAGE_LINK', async (t) => {
  // Even one pointing inside the package: a link is never unpacked.
  await refused(t, tarGz([{ path: 'secrets', type: 'SymbolicLink', linkpath: '/etc' }, ...base]), 'MOSAIC_ERR_PACKAGE_LINK', /^secrets is a symbolic link; packages hold regular files only\./);
  await refused(t, tarGz([...base, { path: 'dist/alias.js', type: 'SymbolicLink', linkpath: 'server.js' }]), 'MOSAIC_ERR_PACKAGE_LINK', /symbolic link/);
});

t.test('a hard link: MOSAIC_ERR_PACKAGE_LINK', async (t) => {
  await refused(t, tarGz([...base, { path: 'passwd', type: 'Link', linkpath: '/etc/passwd' }]), 'MOSAIC_ERR_PACKAGE_LINK', /^passwd is a hard link/);
});

t.test('a device or a FIFO: MOSAIC_ERR_PACKAGE_LINK', async (t) => {
  await refused(t, tarGz([...base, { path: 'zero', type: 'CharacterDevice' }]), 'MOSAIC_ERR_PACKAGE_LINK', /^zero is a CharacterDevice entry; packages hold regular files and folders only\./);
  await refused(t, tarGz([...base, { path: 'pipe', type: 'FIFO' }]), 'MOSAIC_ERR_PACKAGE_LINK', /FIFO entry/);
});

t.test('over a size limit: MOSAIC_ERR_PACKAGE_TOO_LARGE', async (t) => {
  const serverSize = dataOf(base, 'dist/server.js').byteLength;
  await refused(t, pkgs.signed, 'MOSAIC_ERR_PACKAGE_TOO_LARGE', new RegExp(`^dist/server\\.js is ${serverSize} bytes; one file may have at most 5000\\.`), { limits: { maxFileBytes: 5000 } });
  await refused(t, pkgs.signed, 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /^The archive is \d+ bytes; at most 1000 are accepted\./, { limits: { maxArchiveBytes: 1000 } });
  await refused(t, pkgs.signed, 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /unpacks to more than 5000 bytes/, { limits: { maxUnpackedBytes: 5000 } });

  t.test('an undefined limit keeps the default; a limit that is not a positive whole number is a bug', async (t) => {
    const big = tarGz([...base, { path: 'big.txt', data: Buffer.alloc(21 * 1024 * 1024, 0x61) }]);
    await refused(t, big, 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /one file may have at most 20971520\./, { limits: { maxFileBytes: undefined } });
    await t.rejects(readPackage(pkgs.signed, { ...options, limits: { maxFiles: 0 } }), { name: 'TypeError', message: 'Package limit maxFiles must be a positive whole number, got 0.' });
    await t.rejects(readPackage(pkgs.signed, { ...options, limits: { maxUnpackedBytes: Number.NaN } }), { name: 'TypeError' });
  });

  t.test('with the default limits, a 21 MB file', async (t) => {
    const big = Buffer.alloc(21 * 1024 * 1024, 0x61);
    await refused(t, tarGz([...base, { path: 'big.txt', data: big }]), 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /^big\.txt is 22020096 bytes; one file may have at most 20971520\./);
  });
});

t.test('too many files: MOSAIC_ERR_PACKAGE_TOO_LARGE', async (t) => {
  await refused(t, pkgs.signed, 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /^The package has more than 3 entries\./, { limits: { maxFiles: 3 } });
  const many = Array.from({ length: 201 }, (_, i) => ({ path: `assets/${i}.txt`, data: Buffer.from(String(i)) }));
  await refused(t, tarGz([...base, ...many]), 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /more than 200 entries/);
  // A files.json listing more files than a package may hold is refused before its entries are looked at.
  const list = fileList();
  const long = { ...list, files: [...list.files, ...many.map((f) => ({ path: f.path, size: 1, sha256: sha256(f.data) }))] };
  await refused(t, tarGz(resigned(base, long)), 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /^files\.json lists 205 files; a package has at most 200\./);
});

t.test('a gzip bomb is refused before it is inflated past the limit: MOSAIC_ERR_PACKAGE_TOO_LARGE', async (t) => {
  // 60 pax headers of 1 MB each (metadata, not files: no file limit counts them) compress to about
  // 60 kB. Behind them sits a symbolic link: a reader that inflated past its budget would reach the link
  // and refuse it as a link; this one stops at the budget (50 MB of files plus tar overhead) first.
  const bomb = tarGz([...base, ...Array.from({ length: 60 }, () => paxHeader(1_000_000)), { path: 'late-link', type: 'SymbolicLink', linkpath: '/etc' }]);
  t.ok(bomb.byteLength < 200_000, `the bomb is small (${bomb.byteLength} bytes)`);
  await refused(t, bomb, 'MOSAIC_ERR_PACKAGE_TOO_LARGE', /inflates to more than \d+ bytes; it is refused before it is fully inflated/);
  // With a budget past the bomb, the reader does reach the link.
  await refused(t, bomb, 'MOSAIC_ERR_PACKAGE_LINK', /^late-link is a symbolic link/, { limits: { maxUnpackedBytes: 100 * 1024 * 1024 } });
});

t.test('bytes after the end of the tar are neither read nor inflated', async (t) => {
  // 64 MB of zeros after the end marker, then a corrupt gzip trailer: inflating to the end would meet
  // the corruption. The reader stops at the end marker, so the package reads fine.
  const padded = Buffer.from(tarGz(base, Buffer.alloc(64 * 1024 * 1024)));
  padded.writeUInt32LE((padded.readUInt32LE(padded.byteLength - 8) ^ 0xffffffff) >>> 0, padded.byteLength - 8);
  const pkg = await readPackage(padded, options);
  t.equal(pkg.manifest.id, 'deal-notes');
});

t.test('unsigned: MOSAIC_ERR_PACKAGE_UNSIGNED unless allowUnsigned', async (t) => {
  await refused(t, pkgs.unsigned, 'MOSAIC_ERR_PACKAGE_UNSIGNED', /^The package is not signed \(it has no signature\.json\)/);
  const pkg = await readPackage(pkgs.unsigned, { ...options, allowUnsigned: true });
  t.equal(pkg.signer, null);
  t.equal(pkg.manifest.id, 'deal-notes');
  // allowUnsigned does not excuse a bad signature.
  await refused(t, pkgs.signedByStranger, 'MOSAIC_ERR_PACKAGE_KEY_UNKNOWN', /not a trusted publisher key/, { allowUnsigned: true });
});

t.test('a kernel range that excludes this kernel: MOSAIC_ERR_PACKAGE_KERNEL_RANGE', async (t) => {
  await refused(t, pkgs.signed, 'MOSAIC_ERR_PACKAGE_KERNEL_RANGE', /^deal-notes 1\.0\.0 needs kernel \^1\.0\.0, but this kernel's plugin API is 2\.0\.0\./, { kernelVersion: '2.0.0' });
});

t.test('files.json lists a missing file, or the archive holds an unlisted one: MOSAIC_ERR_PACKAGE_HASH_MISMATCH', async (t) => {
  const missing = replaceEntry(base, 'dist/views.js', () => null);
  await refused(t, tarGz(missing), 'MOSAIC_ERR_PACKAGE_HASH_MISMATCH', /^dist\/views\.js: files\.json lists it, but the package does not hold it\./);
  await refused(t, tarGz([...base, { path: 'dist/extra.js', data: Buffer.from('globalThis.x = 1;') }]), 'MOSAIC_ERR_PACKAGE_HASH_MISMATCH', /^dist\/extra\.js: the package holds it, but files\.json does not list it\./);
  // A size that disagrees, signed: the list is genuine, the file is not what it says.
  const list = fileList();
  const resized = { ...list, files: list.files.map((f) => (f.path === 'README.md' ? { ...f, size: f.size + 1 } : f)) };
  await refused(t, tarGz(resigned(base, resized)), 'MOSAIC_ERR_PACKAGE_HASH_MISMATCH', /^README\.md: it is \d+ bytes, files\.json says \d+\./);
});

t.test('not a package: MOSAIC_ERR_PACKAGE_INVALID', async (t) => {
  await refused(t, Buffer.from('PK\u0003\u0004 this is a zip file, not a tgz'), 'MOSAIC_ERR_PACKAGE_INVALID', /not a gzip file/);
  await refused(t, gzipSync(Buffer.from('not a tar archive at all')), 'MOSAIC_ERR_PACKAGE_INVALID', /not a valid tar archive/);
  await refused(t, pkgs.signed.subarray(0, pkgs.signed.byteLength - 100), 'MOSAIC_ERR_PACKAGE_INVALID', /not valid gzip|not a valid tar/);
  await refused(t, tarGz(replaceEntry(base, 'files.json', () => null)), 'MOSAIC_ERR_PACKAGE_INVALID', /^The package has no files\.json/);

  t.test('a manifest that disagrees with files.json', async (t) => {
    await refused(t, tarGz(resigned(base, { ...fileList(), version: '1.0.1' })), 'MOSAIC_ERR_PACKAGE_INVALID', /^files\.json is for deal-notes 1\.0\.1, but the manifest is deal-notes 1\.0\.0\./);
  });

  t.test('an invalid manifest, listed and signed', async (t) => {
    const manifest = JSON.parse(dataOf(base, 'mosaic-plugin.json').toString('utf8'));
    const bad = Buffer.from(JSON.stringify({ ...manifest, kernel: 'not a range' }));
    const list = fileList();
    const relisted = { ...list, files: list.files.map((f) => (f.path === 'mosaic-plugin.json' ? { ...f, size: bad.byteLength, sha256: sha256(bad) } : f)) };
    const entries = replaceEntry(resigned(base, relisted), 'mosaic-plugin.json', (e) => ({ ...e, data: bad }));
    const error = await readPackage(tarGz(entries), options).catch((e: unknown) => e);
    t.ok(isMosaicError(error) && error.code === 'MOSAIC_ERR_PACKAGE_INVALID', String(error));
    if (isMosaicError(error)) t.match(error.details, [{ path: 'kernel', message: /MOSAIC_ERR_MANIFEST_KERNEL_RANGE/ }]);
  });
});
