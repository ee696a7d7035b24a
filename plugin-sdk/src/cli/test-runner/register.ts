/**
 * Preloaded (`--import`) into `mosaic-plugin test` runs, after tsx: lets a plugin's tests import
 * `@mosaic/plugin-sdk` and `@mosaic/plugin-sdk/testing` even when the plugin folder has no
 * `node_modules` — a plugin written outside this repository, say. See `hooks.ts`.
 */
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

const sdkRoot = new URL('../../../', import.meta.url);
const { exports } = JSON.parse(readFileSync(new URL('package.json', sdkRoot), 'utf8')) as { exports: Record<string, string> };
register('./hooks.ts', import.meta.url, { data: { sdkRoot: sdkRoot.href, exports } });
