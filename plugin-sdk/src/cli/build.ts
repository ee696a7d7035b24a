import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { build as esbuild, type BuildFailure, type OutputFile } from 'esbuild';
import type { PluginManifest } from '../manifest/index.js';
import { bundleError, findSource, requireSource, serverBuildOptions, viewsBuildOptions, type BundleKind } from './bundle.js';
import { readPluginFolder } from './folder.js';
import { checkHandlers, readBundleHandlers } from './handlers.js';
import { formatBytes, say, warn, type CliIo } from './io.js';

/** One file a build wrote. */
export interface BuiltFile {
  /** Relative to the plugin folder, as the manifest names it. */
  readonly path: string;
  readonly bytes: number;
}

/** The outcome of {@link buildPlugin}. */
export interface BuildResult {
  readonly dir: string;
  readonly manifest: PluginManifest;
  readonly files: readonly BuiltFile[];
}

/** Runs esbuild once; a failure becomes a coded error with every message. */
async function bundleOnce(dir: string, kind: BundleKind, entry: string): Promise<OutputFile> {
  try {
    const result = await esbuild(kind === 'server' ? serverBuildOptions(dir, entry) : viewsBuildOptions(dir, entry));
    return result.outputFiles[0]!;
  } catch (error) {
    throw bundleError(kind, (error as BuildFailure).errors ?? [], error);
  }
}

/**
 * Bundles server code into the one classic script the kernel's sandbox runs (an ES2022 IIFE, every
 * import inlined, Node built-ins refused), as `build` does, and returns it without writing anything.
 * `entry` is relative to `dir`, the folder error locations are given against.
 *
 * @throws SdkError `MOSAIC_ERR_CLI_NODE_BUILTIN` or `MOSAIC_ERR_CLI_BUNDLE_FAILED`, one detail per esbuild message.
 */
export async function bundleServer(dir: string, entry: string): Promise<string> {
  return (await bundleOnce(dir, 'server', entry)).text;
}

/** Writes a bundle at its manifest path (creating folders) and returns what was written. */
export async function writeBundle(dir: string, path: string, contents: Uint8Array): Promise<BuiltFile> {
  const target = join(dir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, contents);
  return { path, bytes: contents.byteLength };
}

/**
 * Checks a freshly bundled server script against the manifest before it is written, so a broken
 * bundle never replaces a working one. Returns the handlers the manifest does not name.
 */
export function checkServerBundle(manifest: PluginManifest, code: string, filename: string): readonly string[] {
  return checkHandlers(manifest, readBundleHandlers(code, filename)).unused;
}

/**
 * `build`: validates the manifest, bundles `src/server.ts` into the manifest's `server` (a classic
 * script for the sandbox) and `src/views.ts` into `ui` (an ES module for the browser), checks that
 * every handler the manifest names is defined, and writes both. Nothing is written unless all succeed.
 */
export async function buildPlugin(io: CliIo, dirArg?: string): Promise<BuildResult> {
  const { dir, manifest } = await readPluginFolder(io.cwd, dirArg);
  const pending: { path: string; contents: Uint8Array }[] = [];
  if (manifest.server !== undefined) {
    const source = await requireSource(dir, 'server', 'server');
    const output = await bundleOnce(dir, 'server', source);
    const unused = checkServerBundle(manifest, output.text, manifest.server);
    for (const name of unused) warn(io, `${name} is defined in src/server but no manifest entry uses it.`);
    pending.push({ path: manifest.server, contents: output.contents });
  } else if (await findSource(dir, 'server')) {
    warn(io, 'src/server is not built: the manifest has no "server" path (it needs one for routes, events or jobs).');
  }
  if (manifest.ui !== undefined) {
    const output = await bundleOnce(dir, 'views', await requireSource(dir, 'views', 'ui'));
    pending.push({ path: manifest.ui, contents: output.contents });
  } else if (await findSource(dir, 'views')) {
    warn(io, 'src/views is not built: the manifest has no "ui" path.');
  }
  const files: BuiltFile[] = [];
  for (const file of pending) files.push(await writeBundle(dir, file.path, file.contents));
  return { dir, manifest, files };
}

/** Prints what a build produced, one line per file. */
export function printBuild(io: CliIo, result: BuildResult): void {
  const { manifest } = result;
  const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const counts = [count(manifest.routes?.length ?? 0, 'route'), count(manifest.events?.length ?? 0, 'event handler'), count(manifest.jobs?.length ?? 0, 'job'), count(manifest.views?.length ?? 0, 'view')];
  say(io, `built ${manifest.id} ${manifest.version} (${counts.join(', ')}) in ${relative(io.cwd, result.dir) || '.'}`);
  const width = Math.max(0, ...result.files.map((f) => f.path.length));
  for (const file of result.files) say(io, `  ${file.path.padEnd(width)}  ${formatBytes(file.bytes)}`);
}

/** Registers `build [dir]`. */
export function buildCommand(program: Command, io: CliIo): void {
  program
    .command('build')
    .description('validate the manifest, bundle src/server.ts and src/views.ts, and check every handler the manifest names exists')
    .argument('[dir]', 'the plugin folder', '.')
    .action(async (dir: string) => {
      printBuild(io, await buildPlugin(io, dir));
    });
}
