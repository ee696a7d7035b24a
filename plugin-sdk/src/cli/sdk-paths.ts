import { fileURLToPath } from 'node:url';

/**
 * Where the running SDK lives. The CLI bundles this SDK's server surface into plugins and points
 * `test` runs at this SDK, so the version that checks a plugin is the version it is built and tested
 * with, wherever the plugin's own folder is.
 */
export const SDK_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The server-code surface (`definePlugin`, `respond`, `PluginError`): what `@mosaic/plugin-sdk` means in a server bundle. */
export const SDK_SERVER_ENTRY = fileURLToPath(new URL('../server/index.ts', import.meta.url));

/** The manifest JSON Schema, for `$schema` in scaffolded manifests. */
export const SDK_MANIFEST_SCHEMA = fileURLToPath(new URL('../../manifest.schema.json', import.meta.url));

/** The module `test` runs preload to resolve `@mosaic/plugin-sdk` for plugins that do not install it. */
export const SDK_REGISTER_URL = new URL('./test-runner/register.ts', import.meta.url).href;

/** tsx's loader, which runs TypeScript in Node; resolved from the SDK, so a plugin needs no copy of its own. */
export function tsxLoaderUrl(): string {
  return import.meta.resolve('tsx');
}
