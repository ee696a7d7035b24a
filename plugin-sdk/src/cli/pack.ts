import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { create as createTar } from 'tar';
import { MANIFEST_FILE, type PluginManifest } from '../manifest/index.js';
import { SdkError } from '../sdk-error.js';
import { buildPlugin } from './build.js';
import { readPluginFolder } from './folder.js';
import { formatBytes, say, type CliIo } from './io.js';

/** The name of the file list inside every archive. */
export const FILE_LIST = 'files.json';

/** One entry of `files.json`. */
export interface PackedFile {
  /** Relative to the package root, `/`-separated. */
  readonly path: string;
  readonly size: number;
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** `files.json`: what a package holds; signing it is a later step. */
export interface FileList {
  readonly format: 1;
  readonly id: string;
  readonly version: string;
  readonly files: readonly PackedFile[];
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
  return join(dir, `${manifest.id}-${manifest.version}.tgz`);
}

/**
 * `pack [dir]`: builds the plugin (unless `build` is false), then writes a gzipped tar holding the
 * manifest, bundles, icon, README and `files.json` (the SHA-256 of every other file). The bytes hashed
 * are the bytes archived: each file is read once and archived from a private copy.
 */
export async function packPlugin(io: CliIo, dirArg: string | undefined, options: { out?: string; build?: boolean } = {}): Promise<{ archive: string; bytes: number; list: FileList }> {
  const { dir, manifest } = options.build === false ? await readPluginFolder(io.cwd, dirArg) : await buildPlugin(io, dirArg);
  const realDir = await realpath(dir);
  const staging = await mkdtemp(join(tmpdir(), 'mosaic-pack-'));
  try {
    const files: PackedFile[] = [];
    for (const path of await packageFiles(dir, manifest)) {
      const contents = await readPackageFile(dir, realDir, path);
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), contents);
      files.push({ path: path.split(sep).join('/'), size: contents.byteLength, sha256: createHash('sha256').update(contents).digest('hex') });
    }
    const list: FileList = { format: 1, id: manifest.id, version: manifest.version, files };
    await writeFile(join(staging, FILE_LIST), `${JSON.stringify(list, null, 2)}\n`);
    const archive = resolve(io.cwd, options.out ?? defaultArchivePath(dir, manifest));
    await mkdir(dirname(archive), { recursive: true });
    // portable + a fixed mtime: the same files always give the same archive.
    await createTar({ gzip: true, file: archive, cwd: staging, portable: true, mtime: new Date(0) }, [FILE_LIST, ...files.map((f) => f.path)]);
    return { archive, bytes: (await stat(archive)).size, list };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Registers `pack [dir]`. */
export function packCommand(program: Command, io: CliIo): void {
  program
    .command('pack')
    .description('build, then write <id>-<version>.tgz with the manifest, bundles, README, icon and files.json')
    .argument('[dir]', 'the plugin folder', '.')
    .option('--out <file>', 'where to write the archive (default: <dir>/<id>-<version>.tgz)')
    .option('--no-build', 'pack the bundles as they are, without building first')
    .action(async (dir: string, options: { out?: string; build: boolean }) => {
      const { archive, bytes, list } = await packPlugin(io, dir, options);
      for (const file of list.files) say(io, `  ${file.path}  ${formatBytes(file.size)}  sha256:${file.sha256.slice(0, 12)}…`);
      say(io, `packed ${list.id} ${list.version}: ${archive} (${formatBytes(bytes)})`);
    });
}
