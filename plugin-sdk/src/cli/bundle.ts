import { builtinModules } from 'node:module';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildOptions, Message, Plugin } from 'esbuild';
import { SdkError } from '../sdk-error.js';
import { SDK_SERVER_ENTRY } from './sdk-paths.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `node:anything` and every bare built-in name (`fs`, `fs/promises`, …). */
const NODE_BUILTIN = new RegExp(`^(node:.*|${builtinModules.map(escapeRegExp).join('|')})$`);

const NO_NODE = 'mosaic-no-node-builtins';

/**
 * Refuses Node built-ins by name. With `platform: 'neutral'` esbuild would only say it cannot resolve
 * them; this says why: the sandbox has no Node APIs, the host API is the way out.
 */
const noNodeBuiltins: Plugin = {
  name: NO_NODE,
  setup(build) {
    build.onResolve({ filter: NODE_BUILTIN }, (args) => ({
      errors: [{ text: `"${args.path}" is a Node built-in module; plugin server code runs in a sandbox without Node APIs, so use ctx.host instead.` }],
    }));
  },
};

/**
 * In server code `@mosaic/plugin-sdk` is the SDK's server surface, taken from the SDK running this
 * build: it has no dependencies and no Node API, and it is there even for a plugin folder that has no
 * `node_modules`. Its other entries (`/testing`) are Node-only and refused.
 */
const sdkServerSurface: Plugin = {
  name: 'mosaic-sdk-server-surface',
  setup(build) {
    build.onResolve({ filter: /^@mosaic\/plugin-sdk(\/.*)?$/ }, (args) =>
      args.path === '@mosaic/plugin-sdk'
        ? { path: SDK_SERVER_ENTRY }
        : { errors: [{ text: `"${args.path}" is for Node (tests and tools), not for plugin server code; import from "@mosaic/plugin-sdk".` }] },
    );
  },
};

/** The esbuild options of a server bundle: one classic-script IIFE for ES2022, everything inlined. */
export function serverBuildOptions(dir: string, entry: string): BuildOptions & { write: false } {
  return {
    // Error locations and the bundle's path comments are relative to the plugin folder.
    absWorkingDir: dir,
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    // `neutral` reads no package.json fields by default; plugins depend on ordinary npm packages.
    mainFields: ['module', 'main'],
    // Many libraries branch on NODE_ENV; there is no `process` in the sandbox to ask.
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    charset: 'utf8',
    plugins: [noNodeBuiltins, sdkServerSurface],
  };
}

/** The esbuild options of a view bundle: one ES module for browsers, everything inlined. */
export function viewsBuildOptions(dir: string, entry: string): BuildOptions & { write: false } {
  return {
    absWorkingDir: dir,
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    charset: 'utf8',
  };
}

/** Which bundle a build produces: the manifest's `server` from `src/server.*`, `ui` from `src/views.*`. */
export type BundleKind = 'server' | 'views';

const SOURCES: Record<BundleKind, readonly string[]> = {
  server: ['src/server.ts', 'src/server.mts', 'src/server.js', 'src/server.mjs'],
  views: ['src/views.ts', 'src/views.mts', 'src/views.js', 'src/views.mjs'],
};

/**
 * The source file of a bundle, or undefined when there is none.
 */
export async function findSource(dir: string, kind: BundleKind): Promise<string | undefined> {
  for (const candidate of SOURCES[kind]) {
    const path = join(dir, candidate);
    if (await access(path).then(() => true, () => false)) return path;
  }
  return undefined;
}

/** The source of a bundle the manifest names. @throws SdkError `MOSAIC_ERR_CLI_ENTRY_MISSING`. */
export async function requireSource(dir: string, kind: BundleKind, manifestKey: 'server' | 'ui'): Promise<string> {
  const source = await findSource(dir, kind);
  if (!source) {
    throw new SdkError('MOSAIC_ERR_CLI_ENTRY_MISSING', `The manifest's "${manifestKey}" is built from ${SOURCES[kind][0]}, which does not exist in ${dir}.`);
  }
  return source;
}

/** One esbuild message as a detail line: `src/server.ts:3:7: Could not resolve "x"`. */
export function formatMessage(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : '';
  return `${where}${message.text}`;
}

/**
 * The coded error for a failed bundle: `MOSAIC_ERR_CLI_NODE_BUILTIN` when the failure is a Node
 * built-in import (the cause an author most needs to see named), `MOSAIC_ERR_CLI_BUNDLE_FAILED` otherwise.
 */
export function bundleError(kind: BundleKind, messages: readonly Message[], cause?: unknown): SdkError {
  const details = messages.map(formatMessage);
  if (messages.some((m) => m.pluginName === NO_NODE)) {
    const builtin = messages.filter((m) => m.pluginName === NO_NODE).map(formatMessage);
    return new SdkError('MOSAIC_ERR_CLI_NODE_BUILTIN', 'The server code imports a Node built-in module; the sandbox has no Node APIs: use ctx.host.', builtin, { cause });
  }
  const first = details[0] ?? (cause instanceof Error ? cause.message : 'esbuild failed');
  return new SdkError('MOSAIC_ERR_CLI_BUNDLE_FAILED', `The ${kind} bundle could not be built: ${first}`, details, { cause });
}
