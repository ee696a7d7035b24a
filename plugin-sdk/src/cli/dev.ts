import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { context, type BuildContext, type BuildResult as EsbuildResult, type Plugin } from 'esbuild';
import { MANIFEST_FILE } from '../manifest/index.js';
import { SdkError } from '../sdk-error.js';
import { buildPlugin, checkServerBundle, printBuild, writeBundle } from './build.js';
import { bundleError, findSource, serverBuildOptions, viewsBuildOptions, type BundleKind } from './bundle.js';
import { readPluginFolder } from './folder.js';
import { formatBytes, printError, say, warn, type CliIo } from './io.js';
import { installOrReload, isInstalled, type KernelTarget } from './kernel-client.js';

/** Options of `dev`; each falls back to an environment variable. */
export interface DevOptions {
  /** `MOSAIC_URL` */
  readonly kernel?: string;
  /** `MOSAIC_API_KEY` */
  readonly apiKey?: string;
}

/** Changes arriving this close together (a save touching several files) make one reload. */
const SETTLE_MS = 60;

function targetOf(io: CliIo, options: DevOptions): KernelTarget {
  const url = options.kernel ?? io.env.MOSAIC_URL;
  const apiKey = options.apiKey ?? io.env.MOSAIC_API_KEY;
  if (!url || !apiKey) throw new SdkError('MOSAIC_ERR_CLI_KERNEL_CONFIG', 'dev needs the kernel URL and an admin API key: --kernel <url> --api-key <key>, or MOSAIC_URL and MOSAIC_API_KEY.');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new SdkError('MOSAIC_ERR_CLI_KERNEL_CONFIG', `--kernel must be an http(s) URL, got "${url}".`);
  return { url, apiKey };
}

/** Resolves when the command should stop: the io's signal, or SIGINT/SIGTERM for a terminal session. */
function stopped(io: CliIo): Promise<void> {
  return new Promise((resolvePromise) => {
    if (io.signal) {
      if (io.signal.aborted) resolvePromise();
      else io.signal.addEventListener('abort', () => resolvePromise(), { once: true });
      return;
    }
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolvePromise();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `dev [dir]`: builds, installs the plugin in a running kernel (or reloads it when it is installed),
 * then watches: after every successful rebuild — source files through esbuild's watch, the manifest
 * through the file system — it checks the handlers, writes the bundles and `PUT`s the folder again so
 * the kernel hot-reloads it. A failed rebuild or reload is printed and watching goes on; only the
 * first build and the first contact with the kernel end the command.
 */
export async function devPlugin(io: CliIo, dirArg: string | undefined, options: DevOptions): Promise<void> {
  const target = targetOf(io, options);
  const first = await buildPlugin(io, dirArg);
  printBuild(io, first);
  const { dir } = first;
  let installed = await isInstalled(target, first.manifest.id);
  const reload = async (manifest = first.manifest): Promise<void> => {
    const started = Date.now();
    const action = await installOrReload(target, dir, manifest, installed);
    installed = true;
    say(io, `${action} ${manifest.id} ${manifest.version} in ${target.url} (${Date.now() - started} ms)`);
  };
  await reload();

  // Bundles rebuilt since the last reload, not yet written.
  const fresh: Partial<Record<BundleKind, Uint8Array>> = {};
  const watching = new Set<BundleKind>();
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();
  const publish = async (): Promise<void> => {
    try {
      const { manifest } = await readPluginFolder(dir);
      for (const [kind, key] of [['server', 'server'], ['views', 'ui']] as const) {
        if (manifest[key] !== undefined && !watching.has(kind)) warn(io, `the manifest now has "${key}": restart dev to build it.`);
      }
      if (manifest.server !== undefined) {
        // A manifest change alone is checked against the bundle already on disk.
        const code = fresh.server ?? (await readFile(join(dir, manifest.server)));
        checkServerBundle(manifest, new TextDecoder().decode(code), manifest.server);
      }
      for (const [kind, key] of [['server', 'server'], ['views', 'ui']] as const) {
        const contents = fresh[kind];
        const path = manifest[key];
        if (contents === undefined || path === undefined) continue;
        const file = await writeBundle(dir, path, contents);
        delete fresh[kind];
        say(io, `  ${file.path}  ${formatBytes(file.bytes)}`);
      }
      await reload(manifest);
    } catch (error) {
      printError(io, error);
    }
  };
  const schedule = (): void => {
    clearTimeout(timer);
    // Reloads run one at a time, so the kernel always ends on the newest build.
    timer = setTimeout(() => (queue = queue.then(publish)), SETTLE_MS);
  };

  const contexts: BuildContext[] = [];
  const watchBundle = async (kind: BundleKind): Promise<void> => {
    const source = await findSource(dir, kind);
    if (!source) return;
    let initial = true;
    const onEnd: Plugin = {
      name: 'mosaic-dev-reload',
      setup(build) {
        build.onEnd((result: EsbuildResult) => {
          // The first build is the one just installed.
          if (initial) return void (initial = false);
          if (result.errors.length > 0) return printError(io, bundleError(kind, result.errors));
          const output = result.outputFiles?.[0];
          if (output) fresh[kind] = output.contents;
          schedule();
        });
      },
    };
    const options = kind === 'server' ? serverBuildOptions(dir, source) : viewsBuildOptions(dir, source);
    const ctx = await context({ ...options, plugins: [...(options.plugins ?? []), onEnd] });
    contexts.push(ctx);
    watching.add(kind);
    await ctx.watch();
  };
  if (first.manifest.server !== undefined) await watchBundle('server');
  if (first.manifest.ui !== undefined) await watchBundle('views');
  const manifestWatcher: FSWatcher = watch(dir, (_event, name) => {
    if (name === MANIFEST_FILE) schedule();
  });
  say(io, `watching ${join(dir, 'src')} and ${MANIFEST_FILE}; Ctrl-C stops`);

  await stopped(io);
  clearTimeout(timer);
  manifestWatcher.close();
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  await queue;
  say(io, 'dev stopped');
}

/** Registers `dev [dir] --kernel <url> --api-key <key>`. */
export function devCommand(program: Command, io: CliIo): void {
  program
    .command('dev')
    .description('build, install in a running kernel, then rebuild and hot-reload on every change')
    .argument('[dir]', 'the plugin folder', '.')
    .option('--kernel <url>', 'the kernel base URL (default: $MOSAIC_URL)')
    .option('--api-key <key>', 'an admin API key of the workspace (default: $MOSAIC_API_KEY)')
    .action(async (dir: string, options: DevOptions) => {
      await devPlugin(io, dir, options);
    });
}
