import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { create as createTar } from 'tar';
import { MANIFEST_FILE, type PluginManifest } from '../manifest/index.js';
import { FILE_LIST, SIGNATURE_FILE, archiveName, loadSigningKey, signFileList, type FileList, type PackedFile } from '../package/index.js';
import { SdkError } from '../sdk-error.js';
import { buildPlugin } from './build.js';
import { readPluginFolder } from './folder.js';
import { formatBytes, say, warn, type CliIo } from './io.js';

export { FILE_LIST, type FileList, type PackedFile };

/** A signing key read for `pack --key`. */
type SigningKey = ReturnType<typeof loadSigningKey> & {
  readonly path: string;
  /** The base64 body of the key's PEM: a packaged file holding it would leak the key. */
  readonly pemBody: string;
};

/** File names that hold private keys; none may be packed, whatever the manifest names. */
const KEY_FILE = /\.(key|pem)$/i;

/** Reads the private key named by `--key`. */
async function readSigningKey(io: CliIo, keyArg: string): Promise<SigningKey> {
  const path = resolve(io.cwd, keyArg);
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_CLI_KEY_INVALID', `Cannot read the signing key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    const pemBody = pem.toString('utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return { ...loadSigningKey(pem), path: await realpath(path), pemBody };
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_CLI_KEY_INVALID', `${path} is not an ed25519 private key made by mosaic-plugin keygen: ${(error as Error).message}.`);
  }
}

/** The files a package holds: the manifest, its bundles and icon, and the README when there is one. */
async function packageFiles(dir: string, manifest: PluginManifest): Promise<string[]> {
  const files = [MANIFEST_FILE, manifest.server, manifest.ui, manifest.icon].filter((f): f is string => f !== undefined);
  if (await lstat(join(dir, 'README.md')).then(() => true, () => false)) files.push('README.md');
  return [...new Set(files)];
}

/**
 * Reads one file for the package, refusing what must not leave the folder: a symbolic link (the file
 * itself or any folder on its way), anything resolving outside the folder, anything not a regular file.
 */
async function readPackageFile(dir: string, realDir: string, path: string): Promise<Buffer> {
  const full = resolve(dir, path);
  const rel = relative(dir, full);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new SdkError('MOSAIC_ERR_CLI_PACK_FILE', `${path} lies outside the plugin folder.`);
  }
  const info = await lstat(full).catch(() => null);
  if (!info) throw new SdkError('MOSAIC_ERR_CLI_PACK_FILE', `${path} does not exist; the manifest names it.`);
  if (info.isSymbolicLink()) throw new SdkError('MOSAIC_ERR_CLI_PACK_FILE', `${path} is a symbolic link; a package holds regular files only.`);
  if (!info.isFile()) throw new SdkError('MOSAIC_ERR_CLI_PACK_FILE', `${path} is not a regular file.`);
  // The file is not a link, but a folder on its way may be: the real path tells.
  if ((await realpath(full)) !== join(realDir, rel)) {
    throw new SdkError('MOSAIC_ERR_CLI_PACK_FILE', `${path} is reached through a symbolic link; a package holds regular files only.`);
  }
  return readFile(full);
}

/** Where an archive goes by default: `<folder>/<id>-<version>.tgz`. */
export function defaultArchivePath(dir: string, manifest: PluginManifest): string {
  return join(dir, archiveName(manifest.id, manifest.version));
}

/**
 * Refuses to pack a private key: no packaged file may be named `*.key` or `*.pem`, and the signing key
 * must not be one of the packaged files (through any path or link). A key elsewhere in the plugin
 * folder is not packed, but may end up in version control: that gets a warning.
 */
async function refuseKeys(io: CliIo, dir: string, realDir: string, paths: readonly string[], signing: SigningKey | null): Promise<void> {
  const keyLike = paths.filter((p) => KEY_FILE.test(p));
  if (keyLike.length > 0) {
    throw new SdkError('MOSAIC_ERR_CLI_KEY_IN_PACKAGE', `${keyLike.join(', ')} would be packed; .key and .pem files are never packed (they usually hold private keys).`);
  }
  if (signing === null) return;
  for (const path of paths) {
    const real = await realpath(resolve(dir, path)).catch(() => null);
    if (real === signing.path) throw new SdkError('MOSAIC_ERR_CLI_KEY_IN_PACKAGE', `The signing key ${signing.path} is the packaged file ${path}; keep the key outside the plugin folder.`);
  }
  const rel = relative(realDir, signing.path);
  if (!rel.startsWith('..') && !isAbsolute(rel)) warn(io, `the signing key ${signing.path} lies inside the plugin folder; it is not packed, but keep it out of the folder (and out of version control).`);
}

const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * A packaged file holding the signing key's own PEM text is refused (a key pasted into a README or
 * bundled by mistake); one holding any other PEM private key gets a warning, since it may be an example.
 */
function checkForKeys(io: CliIo, path: string, contents: Buffer, signing: SigningKey | null): void {
  const text = contents.toString('latin1');
  if (signing !== null && signing.pemBody.length > 0 && text.replace(/\s+/g, '').includes(signing.pemBody)) {
    throw new SdkError('MOSAIC_ERR_CLI_KEY_IN_PACKAGE', `${path} contains the signing key itself; remove it before packing.`);
  }
  if (PRIVATE_KEY_PEM.test(text)) warn(io, `${path} contains a PEM private key; make sure it is not a real one before publishing.`);
}

/** What `pack` made. */
export interface PackResult {
  readonly archive: string;
  readonly bytes: number;
  readonly list: FileList;
  /** The key id that signed `files.json`, or null for an unsigned package. */
  readonly signedBy: string | null;
}

/**
 * `pack [dir]`: builds the plugin (unless `build` is false), then writes a gzipped tar holding the
 * manifest, bundles, icon, README, `files.json` (the SHA-256 of every other file) and, with `key`,
 * `signature.json` (ed25519 over the exact bytes of `files.json`). The bytes hashed are the bytes
 * archived: each file is read once and archived from a private copy.
 */
export async function packPlugin(io: CliIo, dirArg: string | undefined, options: { out?: string; build?: boolean; key?: string } = {}): Promise<PackResult> {
  // The key is read first: a wrong path should not cost a build.
  const signing = options.key === undefined ? null : await readSigningKey(io, options.key);
  const { dir, manifest } = options.build === false ? await readPluginFolder(io.cwd, dirArg) : await buildPlugin(io, dirArg);
  const realDir = await realpath(dir);
  const paths = await packageFiles(dir, manifest);
  await refuseKeys(io, dir, realDir, paths, signing);
  const staging = await mkdtemp(join(tmpdir(), 'mosaic-pack-'));
  try {
    const files: PackedFile[] = [];
    for (const path of paths) {
      const contents = await readPackageFile(dir, realDir, path);
      checkForKeys(io, path, contents, signing);
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), contents);
      files.push({ path: path.split(sep).join('/'), size: contents.byteLength, sha256: createHash('sha256').update(contents).digest('hex') });
    }
    const list: FileList = { format: 1, id: manifest.id, version: manifest.version, files };
    const listBytes = Buffer.from(`${JSON.stringify(list, null, 2)}\n`);
    await writeFile(join(staging, FILE_LIST), listBytes);
    const meta = [FILE_LIST];
    if (signing !== null) {
      await writeFile(join(staging, SIGNATURE_FILE), `${JSON.stringify(signFileList(listBytes, signing), null, 2)}\n`);
      meta.push(SIGNATURE_FILE);
    }
    const archive = resolve(io.cwd, options.out ?? defaultArchivePath(dir, manifest));
    await mkdir(dirname(archive), { recursive: true });
    // portable + a fixed mtime: the same files always give the same archive (ed25519 signatures are deterministic).
    await createTar({ gzip: true, file: archive, cwd: staging, portable: true, mtime: new Date(0) }, [...meta, ...files.map((f) => f.path)]);
    return { archive, bytes: (await stat(archive)).size, list, signedBy: signing?.keyId ?? null };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Registers `pack [dir]`. */
export function packCommand(program: Command, io: CliIo): void {
  program
    .command('pack')
    .description('build, then write <id>-<version>.tgz with the manifest, bundles, README, icon, files.json and, with --key, signature.json')
    .argument('[dir]', 'the plugin folder', '.')
    .option('--out <file>', 'where to write the archive (default: <dir>/<id>-<version>.tgz)')
    .option('--no-build', 'pack the bundles as they are, without building first')
    .option('--key <file.key>', 'sign files.json with this private key (made by mosaic-plugin keygen)')
    .action(async (dir: string, options: { out?: string; build: boolean; key?: string }) => {
      const { archive, bytes, list, signedBy } = await packPlugin(io, dir, options);
      for (const file of list.files) say(io, `  ${file.path}  ${formatBytes(file.size)}  sha256:${file.sha256.slice(0, 12)}…`);
      if (signedBy === null) warn(io, 'the package is unsigned: kernels refuse it unless unsigned packages are allowed for development; sign it with --key <file.key>.');
      say(io, `packed ${list.id} ${list.version}${signedBy === null ? ' (unsigned)' : `, signed by key ${signedBy}`}: ${archive} (${formatBytes(bytes)})`);
    });
}
