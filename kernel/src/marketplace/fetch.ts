import { open } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { MosaicError } from '../errors/index.js';

/** Limits on what is read from a marketplace. */
export interface FetchLimits {
  /** Largest `index.json`. */
  readonly maxIndexBytes: number;
  /** Largest package archive (the package reader checks its own limits again). */
  readonly maxArchiveBytes: number;
  /** Time for one HTTP request, headers and body. */
  readonly timeoutMs: number;
}

/** 5 MB of index, 20 MB per archive, 15 s per request. */
export const FETCH_LIMITS: FetchLimits = Object.freeze({ maxIndexBytes: 5 * 1024 * 1024, maxArchiveBytes: 20 * 1024 * 1024, timeoutMs: 15_000 });

const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

/**
 * Reads a file of a marketplace — `index.json` or a package the index names — from its folder or its
 * HTTP(S) location, stopping as soon as `maxBytes` is passed. `file` comes from the index, so it is
 * confined to the marketplace: no absolute path, no `..`, no other origin.
 */
export async function fetchMarketplaceFile(location: string, file: string, maxBytes: number, timeoutMs: number = FETCH_LIMITS.timeoutMs): Promise<Buffer> {
  if (file === '' || file.includes('\\') || file.split('/').some((s) => s === '..' || s === '.' || s === '') || isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file)) {
    throw new MosaicError('MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', `The marketplace at ${location} names the file "${file}", which is not a plain path inside the marketplace.`, [{ path: 'file', message: file }]);
  }
  return isUrl(location) ? fetchHttp(location, file, maxBytes, timeoutMs) : readLocal(location, file, maxBytes);
}

async function readLocal(location: string, file: string, maxBytes: number): Promise<Buffer> {
  const base = resolve(location);
  const path = join(base, file);
  if (!path.startsWith(base + sep)) throw new MosaicError('MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', `"${file}" leaves the marketplace folder ${location}.`);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreachable(location, `${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw unreachable(location, `${file} is not a file`);
    if (info.size > maxBytes) throw tooLarge(location, file, maxBytes);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function fetchHttp(location: string, file: string, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const base = location.endsWith('/') ? location : `${location}/`;
  const url = new URL(file, base);
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    // Redirects are followed by fetch; the marketplace is the admin's choice, so where it sends us is too.
    response = await fetch(url, { signal, headers: { accept: 'application/json, application/gzip, */*' } });
  } catch (error) {
    throw unreachable(location, `${file}: ${(error as Error).message}`, error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw unreachable(location, `${file}: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(location, file, maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(location, file, maxBytes);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (error) {
    if (error instanceof MosaicError) throw error;
    throw unreachable(location, `${file}: ${(error as Error).message}`, error);
  }
  return Buffer.concat(chunks, total);
}

function unreachable(location: string, detail: string, cause?: unknown): MosaicError {
  return new MosaicError('MOSAIC_ERR_MARKETPLACE_UNREACHABLE', `The marketplace at ${location} could not be read (${detail}).`, [{ path: location, message: detail }], { cause });
}

function tooLarge(location: string, file: string, maxBytes: number): MosaicError {
  return new MosaicError('MOSAIC_ERR_PACKAGE_TOO_LARGE', `${file} from the marketplace at ${location} is larger than ${maxBytes} bytes.`, [{ path: file, message: `over ${maxBytes} bytes` }]);
}
