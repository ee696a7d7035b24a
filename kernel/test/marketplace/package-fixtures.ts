/**
 * Real packages for the package reader's tests: the repository's example plugin packed by the real
 * `mosaic-plugin` CLI code (keygen, then pack --key), and a raw tar writer for archives no honest packer
 * makes (`../` paths, links, devices, bombs).
 */
import { cp, mkdtemp, readFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Header, Parser, type ReadEntry } from 'tar';
import { loadSigningKey, signFileList, type TrustedKey } from '@mosaic/plugin-sdk/package';
import { cliInProcess } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One tar entry, as written by {@link tarGz}. */
export interface TarEntry {
  readonly path: string;
  readonly type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'FIFO' | 'ExtendedHeader';
  readonly data?: Buffer;
  readonly linkpath?: string;
}

/** A gzipped tar of `entries` exactly as given (no path clean-up), then `trailing` bytes inside the gzip stream. */
export function tarGz(entries: readonly TarEntry[], trailing: Buffer = Buffer.alloc(0)): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    const type = entry.type ?? 'File';
    const hasData = type === 'File' || type === 'ExtendedHeader';
    const header = new Header({ path: entry.path, type, mode: type === 'Directory' ? 0o755 : 0o644, size: hasData ? data.byteLength : 0, mtime: new Date(0), uid: 0, gid: 0, ...(entry.linkpath ? { linkpath: entry.linkpath } : {}) });
    header.encode();
    blocks.push(header.block!);
    if (hasData && data.byteLength > 0) {
      blocks.push(data, Buffer.alloc((512 - (data.byteLength % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024), trailing);
  return gzipSync(Buffer.concat(blocks));
}

/** The entries of a (trusted, test-made) archive, in order. */
export async function entriesOf(bytes: Buffer): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => entries.push({ path: entry.path, type: entry.type as TarEntry['type'], data: Buffer.concat(chunks) }));
    });
    parser.on('error', reject);
    parser.on('end', () => resolve());
    parser.end(bytes);
  });
  return entries;
}

/** Runs a `mosaic-plugin` command (in this process) in `cwd`; throws with its output when it fails. */
export async function mosaicPlugin(cwd: string, args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await cliInProcess(args, cwd);
  if (code !== 0) throw new Error(`mosaic-plugin ${args.join(' ')} exited ${code}: ${stderr}${stdout}`);
  return stdout;
}

/** A publisher key made by `mosaic-plugin keygen`. */
export interface FixtureKey {
  readonly keyFile: string;
  readonly trusted: TrustedKey;
  /** Signs bytes as `pack --key` does: the text of a `signature.json`. */
  sign(fileList: Buffer): Buffer;
}

async function keygen(dir: string, name: string, publisher: string): Promise<FixtureKey> {
  await mosaicPlugin(dir, ['keygen', '--out', 'keys', '--name', name, '--publisher', publisher]);
  const keyFile = join(dir, 'keys', `${name}.key`);
  const pub = JSON.parse(await readFile(join(dir, 'keys', `${name}.pub.json`), 'utf8')) as { key_id: string; public_key: string };
  const signing = loadSigningKey(await readFile(keyFile));
  return {
    keyFile,
    trusted: { keyId: pub.key_id, publicKey: pub.public_key, publisher },
    sign: (fileList) => Buffer.from(`${JSON.stringify(signFileList(fileList, signing), null, 2)}\n`),
  };
}

/** The example plugin packed three ways, and the two keys involved. */
export interface ExamplePackages {
  readonly dir: string;
  /** Signed with {@link publisher}'s key. */
  readonly signed: Buffer;
  /** Packed without --key. */
  readonly unsigned: Buffer;
  /** Signed with {@link stranger}'s key. */
  readonly signedByStranger: Buffer;
  readonly publisher: FixtureKey;
  readonly stranger: FixtureKey;
}

/** Copies `examples/sample-deal-notes` to a temporary folder and packs it with the real CLI. */
export async function packExample(): Promise<ExamplePackages> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'mosaic-package-')));
  const plugin = join(dir, 'deal-notes');
  await cp(join(ROOT, 'examples/sample-deal-notes'), plugin, { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src.slice(ROOT.length)) });
  const publisher = await keygen(dir, 'publisher', 'examples');
  const stranger = await keygen(dir, 'stranger', 'someone-else');
  await mosaicPlugin(dir, ['pack', 'deal-notes', '--key', publisher.keyFile, '--out', 'signed.tgz']);
  await mosaicPlugin(dir, ['pack', 'deal-notes', '--no-build', '--out', 'unsigned.tgz']);
  await mosaicPlugin(dir, ['pack', 'deal-notes', '--no-build', '--key', stranger.keyFile, '--out', 'stranger.tgz']);
  return {
    dir,
    signed: await readFile(join(dir, 'signed.tgz')),
    unsigned: await readFile(join(dir, 'unsigned.tgz')),
    signedByStranger: await readFile(join(dir, 'stranger.tgz')),
    publisher,
    stranger,
  };
}

/** `entries` with the entry at `path` replaced by `change(entry)` (or removed when it returns null). */
export function replaceEntry(entries: readonly TarEntry[], path: string, change: (entry: TarEntry) => TarEntry | null): TarEntry[] {
  if (!entries.some((e) => e.path === path)) throw new Error(`no entry ${path}`);
  return entries.flatMap((e) => (e.path === path ? [change(e)].filter((x): x is TarEntry => x !== null) : [e]));
}

/** The data of the entry at `path`. */
export function dataOf(entries: readonly TarEntry[], path: string): Buffer {
  const entry = entries.find((e) => e.path === path);
  if (!entry?.data) throw new Error(`no entry ${path}`);
  return entry.data;
}

/**
 * A pax extended header of about `bytes` bytes (one long `comment` record): tar metadata that is not a
 * file, so no file limit counts it, and tar keeps up to 1 MB of it per header.
 */
export function paxHeader(bytes: number): TarEntry {
  const value = 'a'.repeat(bytes);
  let length = value.length + ' comment=\n'.length;
  length += String(length + String(length).length).length;
  return { path: 'PaxHeader/comment', type: 'ExtendedHeader', data: Buffer.from(`${length} comment=${value}\n`) };
}
