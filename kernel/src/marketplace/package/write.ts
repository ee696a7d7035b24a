import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkPackagePath, isPackageError, type VerifiedPackage } from '@mosaic/plugin-sdk/package';
import { MosaicError } from '../../errors/index.js';

/**
 * Writes a verified package's files under `dir`, which must not exist or be empty. The files go to a
 * fresh sibling folder first and that folder is renamed into place, so `dir` holds either nothing or
 * the whole package, never half of one. Paths are checked again here: a `VerifiedPackage` is a plain
 * object, and this is the step that touches the disk.
 */
export async function writePackage(pkg: VerifiedPackage, dir: string): Promise<void> {
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null && existing.length > 0) {
    throw new MosaicError('MOSAIC_ERR_INTERNAL', `Cannot unpack ${pkg.manifest.id} ${pkg.manifest.version} into ${dir}: the folder is not empty.`);
  }
  await mkdir(dirname(dir), { recursive: true });
  const staging = join(dirname(dir), `.${basename(dir)}.${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(staging, { mode: 0o755 });
  try {
    for (const [path, bytes] of pkg.files) {
      const safe = safePath(path);
      const target = join(staging, ...safe.split('/'));
      await mkdir(dirname(target), { recursive: true, mode: 0o755 });
      // wx: never follow or replace something already there.
      await writeFile(target, bytes, { flag: 'wx', mode: 0o644 });
    }
    // rename(2) replaces an empty folder atomically; a missing one is simply created.
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function safePath(path: string): string {
  try {
    return checkPackagePath(path);
  } catch (error) {
    if (isPackageError(error)) throw new MosaicError('MOSAIC_ERR_PACKAGE_PATH_UNSAFE', error.message, error.details);
    throw error;
  }
}
