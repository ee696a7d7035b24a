import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';
import { MosaicError, type ErrorDetail } from '../errors/index.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `node:anything` and every bare built-in name (`fs`, `fs/promises`, …). */
const NODE_BUILTIN = new RegExp(`^(node:.*|${builtinModules.map(escapeRegExp).join('|')})$`);

/**
 * Refuse Node built-ins outright. With `platform: 'neutral'` esbuild would only say it cannot resolve
 * them; this says why: the sandbox has no Node APIs, the host API is the way out.
 */
const noNodeBuiltins: Plugin = {
  name: 'mosaic-no-node-builtins',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: NODE_BUILTIN }, (args) => ({
      errors: [{ text: `"${args.path}" is a Node built-in module; plugin server code runs in a sandbox without Node APIs, so use ctx.host instead.` }],
    }));
  },
};

/**
 * Bundle a plugin's server entry into the one classic script {@link PluginSandbox} runs: an IIFE for
 * ES2022 with every dependency inlined and no Node built-ins. The entry is expected to assign
 * `globalThis.__mosaicPlugin` (plugin-sdk's `definePlugin` does). Used by tests and the SDK's CLI.
 *
 * @throws MosaicError `MOSAIC_ERR_PLUGIN_BUNDLE_FAILED`, with one detail per esbuild error.
 */
export async function bundlePluginServer(entryFile: string): Promise<string> {
  try {
    const result = await build({
      entryPoints: [resolve(entryFile)],
      bundle: true,
      format: 'iife',
      platform: 'neutral',
      target: 'es2022',
      // `neutral` looks at no package.json fields by default; plugins depend on ordinary npm packages.
      mainFields: ['module', 'main'],
      // Many libraries branch on NODE_ENV; there is no `process` in the sandbox to ask.
      define: { 'process.env.NODE_ENV': '"production"' },
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
      charset: 'utf8',
      plugins: [noNodeBuiltins],
    });
    const output = result.outputFiles[0];
    if (!output) throw new MosaicError('MOSAIC_ERR_PLUGIN_BUNDLE_FAILED', 'esbuild produced no output.');
    return output.text;
  } catch (error) {
    if (error instanceof MosaicError) throw error;
    const messages = (error as { errors?: Message[] }).errors ?? [];
    const details: ErrorDetail[] = messages.map((m) =>
      m.location ? { path: `${m.location.file}:${m.location.line}:${m.location.column}`, message: m.text } : { message: m.text },
    );
    const first = details[0]?.message ?? (error instanceof Error ? error.message : String(error));
    throw new MosaicError('MOSAIC_ERR_PLUGIN_BUNDLE_FAILED', `The plugin's server code could not be bundled: ${first}`, details, { cause: error });
  }
}
