/**
 * Reads a gzipped tar entirely in memory, checking every entry's header before its bytes are kept and
 * stopping the moment a limit is passed: the inflated stream is counted chunk by chunk, so a gzip bomb
 * is never inflated past the limit. Nothing touches the disk; writing is a separate, later step.
 */
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { PackageError } from './errors.js';

/** Size limits of a package. */
export interface PackageLimits {
  /** The compressed archive. */
  readonly maxArchiveBytes: number;
  /** All files together, unpacked. */
  readonly maxUnpackedBytes: number;
  /** Number of entries (files and folders). */
  readonly maxFiles: number;
  /** One file, unpacked. */
  readonly maxFileBytes: number;
}

const MB = 1024 * 1024;

/** 20 MB archive, 50 MB unpacked, 200 entries, 20 MB per file: far above any plugin seen so far. */
export const DEFAULT_PACKAGE_LIMITS: PackageLimits = Object.freeze({ maxArchiveBytes: 20 * MB, maxUnpackedBytes: 50 * MB, maxFiles: 200, maxFileBytes: 20 * MB });

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const MAX_PATH_LENGTH = 1024;
const MAX_DEPTH = 32;
// Bytes of tar structure around the files: a header (and maybe a pax or long-name header) per entry,
// block padding, the end blocks. Generous, so only a stream far past the file limit trips it.
const TAR_OVERHEAD_PER_ENTRY = 4 * 512;
const TAR_OVERHEAD_FIXED = 2 * MB;

function unsafe(path: string, why: string): PackageError {
  return new PackageError('MOSAIC_ERR_PACKAGE_PATH_UNSAFE', `The package path "${path.slice(0, 200)}" is unsafe: ${why}.`, [{ path: path.slice(0, 200), message: why }]);
}

/**
 * Checks one entry path and returns it without a folder's trailing `/`. Only plain relative paths
 * pass: no leading `/` or drive letter, no `.`, `..` or empty segment, no backslash (a separator on
 * Windows) and no control character.
 */
export function checkPackagePath(path: string, isFolder = false): string {
  if (path.length === 0) throw unsafe(path, 'it is empty');
  if (path.length > MAX_PATH_LENGTH) throw unsafe(path, `it is longer than ${MAX_PATH_LENGTH} characters`);
  if (path.includes('\\')) throw unsafe(path, 'it holds a backslash');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw unsafe(path, 'it holds a control character');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw unsafe(path, 'it is absolute');
  const trimmed = isFolder && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/');
  if (segments.includes('..')) throw unsafe(path, 'it climbs out of the package with ..');
  if (segments.some((s) => s === '' || s === '.')) throw unsafe(path, 'it has an empty or "." segment');
  if (segments.length > MAX_DEPTH) throw unsafe(path, `it is nested deeper than ${MAX_DEPTH} folders`);
  return trimmed;
}

function tooLarge(message: string): PackageError {
  return new PackageError('MOSAIC_ERR_PACKAGE_TOO_LARGE', message);
}

function invalid(message: string): PackageError {
  return new PackageError('MOSAIC_ERR_PACKAGE_INVALID', message);
}

/** Tracks paths case- and Unicode-insensitively: two names one file system would merge are duplicates. */
class PathSet {
  // Normalized key → the path as the archive spells it, for messages.
  readonly #files = new Map<string, string>();
  readonly #folders = new Set<string>();

  add(path: string, folder: boolean): void {
    const key = path.normalize('NFC').toLowerCase();
    if (this.#files.has(key) || (this.#folders.has(key) && !folder)) throw unsafe(path, 'it appears twice in the package');
    if (folder) this.#folders.add(key);
    else this.#files.set(key, path);
  }

  /** A file that is also used as a folder (`a` and `a/b`) could not be written. */
  checkPrefixes(): void {
    for (const [key, path] of this.#files) {
      const parts = key.split('/');
      for (let i = 1; i < parts.length; i++) {
        const prefix = this.#files.get(parts.slice(0, i).join('/'));
        if (prefix !== undefined) throw unsafe(prefix, 'it is a file and also a folder of another file');
      }
      if (this.#folders.has(key)) throw unsafe(path, 'it is a file and also a folder');
    }
  }
}

/**
 * The files of a gzipped tar, by path (folders are checked and dropped).
 *
 * @throws PackageError `MOSAIC_ERR_PACKAGE_INVALID`, `_PATH_UNSAFE`, `_LINK` or `_TOO_LARGE`.
 */
export async function readArchive(bytes: Buffer, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<Map<string, Buffer>> {
  if (bytes.byteLength > limits.maxArchiveBytes) throw tooLarge(`The archive is ${bytes.byteLength} bytes; at most ${limits.maxArchiveBytes} are accepted.`);
  if (bytes.byteLength < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw invalid('The package is not a gzip file (a .tgz made by mosaic-plugin pack).');

  const files = new Map<string, Buffer>();
  const paths = new PathSet();
  const tarBudget = limits.maxUnpackedBytes + (limits.maxFiles + 8) * TAR_OVERHEAD_PER_ENTRY + TAR_OVERHEAD_FIXED;
  let entries = 0;
  let declared = 0;
  let inflated = 0;

  return new Promise((resolve, reject) => {
    let settled = false;
    const gunzip = createGunzip();
    const parser = new Parser({ strict: true, brotli: false, zstd: false });
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      parser.abort(new Error('refused'));
      reject(error);
    };

    const onEntry = (entry: ReadEntry): void => {
      if (settled) return void entry.resume();
      try {
        const file = acceptHeader(entry);
        if (file === null) return void entry.resume();
        const chunks: Buffer[] = [];
        let size = 0;
        entry.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          // The header's size is checked already; the count guards against a parser surprise.
          if (size > limits.maxFileBytes) return fail(tooLarge(`${file} is larger than ${limits.maxFileBytes} bytes.`));
          chunks.push(chunk);
        });
        entry.on('end', () => {
          if (!settled) files.set(file, Buffer.concat(chunks, size));
        });
      } catch (error) {
        fail(error);
        entry.resume();
      }
    };

    /** Checks one header; returns the file path to keep, or null for a folder. */
    const acceptHeader = (entry: ReadEntry): string | null => {
      entries += 1;
      if (entries > limits.maxFiles) throw tooLarge(`The package has more than ${limits.maxFiles} entries.`);
      const type = String(entry.type);
      if (type === 'SymbolicLink' || type === 'Link') {
        throw new PackageError('MOSAIC_ERR_PACKAGE_LINK', `${entry.path.slice(0, 200)} is a ${type === 'Link' ? 'hard' : 'symbolic'} link; packages hold regular files only.`, [{ path: entry.path.slice(0, 200), message: type }]);
      }
      if (type === 'Directory') {
        paths.add(checkPackagePath(entry.path, true), true);
        return null;
      }
      if (!FILE_TYPES.has(type)) throw notFileOrFolder(entry.path, type);
      const path = checkPackagePath(entry.path);
      paths.add(path, false);
      if (entry.size > limits.maxFileBytes) throw tooLarge(`${path} is ${entry.size} bytes; one file may have at most ${limits.maxFileBytes}.`);
      declared += entry.size;
      if (declared > limits.maxUnpackedBytes) throw tooLarge(`The package unpacks to more than ${limits.maxUnpackedBytes} bytes.`);
      return path;
    };

    parser.on('entry', onEntry);
    // Entries tar does not hand out: unknown types, and metadata headers larger than tar keeps.
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      fail(entry.meta ? invalid(`The archive has a metadata header of ${entry.size} bytes; tar headers that large are refused.`) : notFileOrFolder(entry.path, String(entry.type)));
    });
    parser.on('error', (error: Error) => fail(invalid(`The package is not a valid tar archive: ${error.message}`)));
    parser.on('end', () => {
      if (settled) return;
      try {
        paths.checkPrefixes();
      } catch (error) {
        return fail(error);
      }
      settled = true;
      resolve(files);
    });

    // The tar's end marker ends the reading: what follows is neither inflated nor buffered (tar would
    // keep it all in one growing buffer).
    let ended = false;
    parser.on('eof', () => {
      ended = true;
    });
    gunzip.on('data', (chunk: Buffer) => {
      if (settled || ended) return;
      inflated += chunk.byteLength;
      if (inflated > tarBudget) return fail(tooLarge(`The archive inflates to more than ${tarBudget} bytes; it is refused before it is fully inflated.`));
      parser.write(chunk);
      if (ended) {
        gunzip.destroy();
        parser.end();
      }
    });
    gunzip.on('end', () => {
      if (!settled && !ended) parser.end();
    });
    gunzip.on('error', (error: Error) => fail(invalid(`The package is not valid gzip: ${error.message}`)));
    gunzip.end(bytes);
  });
}

function notFileOrFolder(path: string, type: string): PackageError {
  return new PackageError('MOSAIC_ERR_PACKAGE_LINK', `${path.slice(0, 200)} is a ${type} entry; packages hold regular files and folders only.`, [{ path: path.slice(0, 200), message: type }]);
}
