import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { MANIFEST_FILE, validateManifest, type PluginManifest } from '@mosaic/plugin-sdk';
import { MosaicError } from '../errors/index.js';

/** A plugin read from its folder: the validated manifest and its server bundle, if it has one. */
export interface LoadedPlugin {
  /** The folder's real path (symlinks resolved). */
  readonly folder: string;
  readonly manifest: PluginManifest;
  /** The already bundled server script named by `server`, or null for a plugin without server code. */
  readonly script: string | null;
  /** The real path of the view bundle named by `ui`, or null for a plugin without views. */
  readonly uiPath: string | null;
  /**
   * SHA-256 over the manifest and both bundles: two loads with the same revision run the same code, so
   * a plugin rebuilt without a version bump (development) is still reloaded.
   */
  readonly revision: string;
}

/** Largest manifest or server bundle read from disk; a bigger file is refused rather than loaded. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function invalid(message: string, path: string, detail: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_MANIFEST_INVALID', message, [{ path, message: detail }]);
}

async function readSmallFile(path: string, label: string, detailPath: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw invalid(`The plugin's ${label} was not found.`, detailPath, `No file at ${path}.`);
  }
  if (size > MAX_FILE_BYTES) throw invalid(`The plugin's ${label} is too large.`, detailPath, `At most ${MAX_FILE_BYTES} bytes.`);
  return readFile(path, 'utf8');
}

/**
 * Resolves `path` and checks it lies inside one of `allowedDirs` (the `PLUGIN_DIRS` setting). Real paths
 * are compared, so a symlink inside an allowed directory cannot lead outside it.
 */
export async function resolvePluginFolder(path: string, allowedDirs: readonly string[]): Promise<string> {
  if (!isAbsolute(path)) {
    throw new MosaicError('MOSAIC_ERR_PLUGIN_PATH_FORBIDDEN', `The plugin path must be absolute, got "${path}".`, [{ path: 'path', message: 'not absolute' }]);
  }
  let folder: string;
  try {
    folder = await realpath(path);
  } catch {
    throw new MosaicError('MOSAIC_ERR_PLUGIN_PATH_FORBIDDEN', `No folder at "${path}" under the plugin directories.`, [{ path: 'path', message: 'not found' }]);
  }
  for (const dir of allowedDirs) {
    const real = await realpath(dir).catch(() => null);
    if (!real) continue;
    const rel = relative(real, folder);
    if (rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) return folder;
  }
  throw new MosaicError(
    'MOSAIC_ERR_PLUGIN_PATH_FORBIDDEN',
    `"${path}" is not inside a plugin directory; allowed: ${allowedDirs.join(', ')} (PLUGIN_DIRS).`,
    [{ path: 'path', message: 'outside PLUGIN_DIRS' }],
  );
}

/**
 * Loads a plugin from a folder: reads and validates `mosaic-plugin.json`, then reads the server bundle
 * it names. Every manifest problem is reported at once as the error's details. The folder is trusted to
 * be allowed already (see {@link resolvePluginFolder}); `server` is confined to the folder here.
 */
export async function loadPlugin(folder: string): Promise<LoadedPlugin> {
  const text = await readSmallFile(join(folder, MANIFEST_FILE), MANIFEST_FILE, '');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(`${MANIFEST_FILE} is not valid JSON.`, '', (error as Error).message);
  }
  const result = validateManifest(raw);
  if (!result.ok) {
    const count = result.problems.length;
    throw new MosaicError(
      'MOSAIC_ERR_PLUGIN_MANIFEST_INVALID',
      `The plugin manifest has ${count} problem${count === 1 ? '' : 's'}: ${result.problems.map((p) => `${p.path || '(manifest)'}: ${p.message}`).join(' ')}`,
      result.problems.map((p) => ({ path: p.path, message: p.message, code: p.code })),
    );
  }
  const manifest = result.manifest;
  const hash = createHash('sha256').update(text);
  let script: string | null = null;
  if (manifest.server !== undefined) {
    script = await readSmallFile(await insideFolder(folder, manifest.server, 'server'), 'server bundle', 'server');
    hash.update('\0server\0').update(script);
  }
  let uiPath: string | null = null;
  if (manifest.ui !== undefined) {
    uiPath = await insideFolder(folder, manifest.ui, 'ui');
    hash.update('\0ui\0').update(await readSmallFile(uiPath, 'view bundle', 'ui'));
  }
  return { folder, manifest, script, uiPath, revision: hash.digest('hex').slice(0, 32) };
}

/** Real paths, so neither `..` nor a symlink in the package can reach a file outside the folder. */
async function insideFolder(folder: string, path: string, key: 'server' | 'ui'): Promise<string> {
  const real = await realpath(join(folder, path)).catch(() => join(folder, path));
  const rel = relative(folder, real);
  if (rel.startsWith('..') || isAbsolute(rel)) throw invalid(`The ${key === 'server' ? 'server' : 'view'} bundle must be inside the plugin folder.`, key, `"${path}" leaves the folder.`);
  return real;
}
