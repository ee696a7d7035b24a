import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { SDK_ERROR_CODES } from '../src/index.js';

const root = new URL('../../', import.meta.url).pathname;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return path.endsWith('.test.ts') ? [path] : [];
  });
}

t.test('every SDK error code is documented in docs/plugins.md, and nothing else is', async (t) => {
  const doc = readFileSync(join(root, 'docs/plugins.md'), 'utf8');
  // The SDK's areas only: the kernel's plugin codes (MOSAIC_ERR_PLUGIN_…) are documented in the same file.
  const rows = new Set([...doc.matchAll(/^\| `(MOSAIC_ERR_(?:MANIFEST|DEFINE|CLI|TESTING)_[A-Z_]+)` \|/gm)].map((m) => m[1]));
  for (const code of Object.keys(SDK_ERROR_CODES)) t.ok(rows.has(code), `${code} has a row in the error table`);
  t.same([...rows].filter((code) => !(code in SDK_ERROR_CODES)), [], 'no stale codes in the docs');
});

t.test('every SDK error code is asserted by a test', async (t) => {
  const self = new URL(import.meta.url).pathname;
  const sources = testFiles(join(root, 'plugin-sdk/test'))
    .filter((file) => file !== self)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  for (const code of Object.keys(SDK_ERROR_CODES)) t.ok(sources.includes(code), `${code} appears in a test`);
});

t.test('codes are named MOSAIC_ERR_<AREA>_<WHAT> and messages are sentences', async (t) => {
  for (const [code, message] of Object.entries(SDK_ERROR_CODES)) {
    t.match(code, /^MOSAIC_ERR_[A-Z]+(_[A-Z]+)*$/);
    t.ok(message.endsWith('.'), `${code} message is a sentence`);
  }
});
