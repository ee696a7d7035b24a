import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ERROR_CODES } from '../../src/errors/index.js';

const root = new URL('../../../', import.meta.url).pathname;

/** Rows of the error table in docs/api.md: code → HTTP status. */
function documented(): Map<string, number> {
  const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
  const rows = new Map<string, number>();
  for (const match of doc.matchAll(/^\| `(MOSAIC_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)) rows.set(match[1], Number(match[2]));
  return rows;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : testFiles(path);
    return path.endsWith('.test.ts') ? [path] : [];
  });
}

t.test('every error code is documented in docs/api.md with its status, and nothing else is', async (t) => {
  const rows = documented();
  for (const [code, { status }] of Object.entries(ERROR_CODES)) {
    t.equal(rows.get(code), status, `${code} documented with HTTP ${status}`);
  }
  t.same([...rows.keys()].filter((c) => !(c in ERROR_CODES)), [], 'no stale codes in the docs');
});

t.test('every error code is asserted by at least one test', async (t) => {
  const self = new URL(import.meta.url).pathname;
  const sources = [...testFiles(join(root, 'kernel/test')), ...testFiles(join(root, 'plugin-sdk')).filter((f) => !f.includes('node_modules'))]
    .filter((f) => f !== self)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  for (const code of Object.keys(ERROR_CODES)) t.ok(sources.includes(code), `${code} appears in a test`);
});

t.test('codes are named MOSAIC_ERR_<AREA>_<WHAT> and statuses are errors', async (t) => {
  for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
    t.match(code, /^MOSAIC_ERR_[A-Z]+(_[A-Z]+)*$/);
    t.ok(status >= 400 && status < 600, `${code} has an error status`);
    t.ok(message.endsWith('.'), `${code} message is a sentence`);
  }
});
