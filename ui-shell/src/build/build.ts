import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { renderIndexHtml } from './html.js';

/** One built file of the shell, served under `/assets/<name>`. */
export interface ShellAsset {
  /** `<content hash>.js` (or `chunk-<content hash>.js`): the name changes whenever the content does, so it can be cached for good. */
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The built shell: the page every client route answers with, and the hashed assets it loads. */
export interface ShellBuild {
  /** Hash of the sources and toolchain the build came from (the cache key). */
  readonly sourceHash: string;
  readonly indexHtml: string;
  readonly assets: ReadonlyMap<string, ShellAsset>;
}

/** Options for {@link buildShell}. */
export interface BuildShellOptions {
  /**
   * Where built bundles are kept between processes, one folder per source hash. Defaults to
   * `<os tmpdir>/mosaic-ui-shell`; the ~200 test kernels of a suite run thus build once.
   */
  readonly cacheDir?: string;
  /** Minify the bundle (default true). */
  readonly minify?: boolean;
}

const SRC_DIR = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(SRC_DIR, 'main.ts');
const PACKAGE_DIR = resolve(SRC_DIR, '..');

/** Every browser-side source file (the build folder itself runs in Node and is not bundled). */
async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.css')) out.push(path);
  }
  return out.sort();
}

/** The cache key: every source's path and content plus the versions of the toolchain and of Lit. */
async function hashSources(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await sourceFiles(SRC_DIR)) {
    hash.update(relative(SRC_DIR, file)).update('\0').update(await readFile(file)).update('\0');
  }
  const lock = await readFile(join(PACKAGE_DIR, 'package.json'));
  hash.update(lock);
  return hash.digest('hex').slice(0, 16);
}

/** Reads a build a process stored earlier; undefined if absent or incomplete. */
async function readCached(dir: string, sourceHash: string): Promise<ShellBuild | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { assets: { name: string; contentType: string }[] };
    const assets = new Map<string, ShellAsset>();
    for (const a of manifest.assets) assets.set(a.name, { ...a, body: await readFile(join(dir, a.name)) });
    return { sourceHash, indexHtml: await readFile(join(dir, 'index.html'), 'utf8'), assets };
  } catch {
    return undefined;
  }
}

/** Writes a build so other processes reuse it; written aside and renamed, so readers never see half. */
async function writeCached(cacheDir: string, dir: string, shell: ShellBuild): Promise<void> {
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  for (const a of shell.assets.values()) await writeFile(join(staging, a.name), a.body);
  await writeFile(join(staging, 'index.html'), shell.indexHtml);
  await writeFile(join(staging, 'manifest.json'), JSON.stringify({ assets: [...shell.assets.values()].map(({ name, contentType }) => ({ name, contentType })) }));
  try {
    await rename(staging, dir);
  } catch {
    // Another process stored the same build first: theirs is identical.
    await rm(staging, { recursive: true, force: true });
  }
}

/** Bundles the shell with esbuild into memory: one ES module, named by its content hash. */
async function bundle(sourceHash: string, minify: boolean): Promise<ShellBuild> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    sourcemap: false,
    write: false,
    outdir: 'out',
    // Code that is not needed for the first paint (the realtime client) is imported dynamically and
    // lands in its own chunk. Names are esbuild's content hashes, as the entry imports its chunks by
    // name: `/assets/<hash>.js` and `/assets/chunk-<hash>.js`, each cacheable for good.
    splitting: true,
    entryNames: '[hash]',
    chunkNames: 'chunk-[hash]',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const assets = new Map<string, ShellAsset>();
  let entry = '';
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    assets.set(name, { name, contentType: 'text/javascript; charset=utf-8', body: Buffer.from(file.contents) });
    if (!name.startsWith('chunk-')) entry = name;
  }
  return { sourceHash, indexHtml: renderIndexHtml(`/assets/${entry}`), assets };
}

/**
 * Builds the shell, or loads the build a previous process stored for the same sources. The kernel calls
 * this lazily (on the first page request) and keeps the promise, so a process builds at most once.
 */
export async function buildShell(options: BuildShellOptions = {}): Promise<ShellBuild> {
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'mosaic-ui-shell');
  const minify = options.minify ?? true;
  const sourceHash = `${await hashSources()}${minify ? '' : '-dev'}`;
  const dir = join(cacheDir, sourceHash);
  const cached = await readCached(dir, sourceHash);
  if (cached) return cached;
  const shell = await bundle(sourceHash, minify);
  await writeCached(cacheDir, dir, shell).catch(() => undefined); // a read-only disk only costs a rebuild
  return shell;
}
