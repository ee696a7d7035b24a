import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MANIFEST_FILE, ManifestError, validateManifest, type PluginManifest } from '../manifest/index.js';
import { SdkError } from '../sdk-error.js';

/** A plugin folder and its checked manifest. */
export interface PluginFolder {
  /** Absolute path. */
  readonly dir: string;
  readonly manifest: PluginManifest;
}

/**
 * Reads and validates the manifest of the plugin in `dir` (relative to `cwd`).
 *
 * @throws SdkError `MOSAIC_ERR_CLI_FOLDER` when the folder or manifest is missing or not JSON.
 * @throws ManifestError `MOSAIC_ERR_MANIFEST_INVALID` listing every problem with its path.
 */
export async function readPluginFolder(cwd: string, dir = '.'): Promise<PluginFolder> {
  const folder = resolve(cwd, dir);
  const isDir = await stat(folder).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new SdkError('MOSAIC_ERR_CLI_FOLDER', `No plugin folder at ${folder}.`);
  const file = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SdkError('MOSAIC_ERR_CLI_FOLDER', `No ${MANIFEST_FILE} in ${folder}; is this a plugin folder? (mosaic-plugin new <id> makes one.)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_CLI_FOLDER', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = validateManifest(raw);
  if (!result.ok) throw new ManifestError(result.problems);
  return { dir: folder, manifest: result.manifest };
}
