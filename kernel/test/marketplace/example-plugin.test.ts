import { fileURLToPath } from 'node:url';
import t from 'tap';
import { cli } from './fixtures.js';

// The third-party example the marketplace browser test publishes, run as its author runs it:
// `mosaic-plugin test` builds it and runs its node:test files against a real kernel, with the companies
// plugin it depends on and a fake enrichment API on loopback.

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

t.test('examples/company-enrichment: its tests pass against a real kernel', async (t) => {
  const run = await cli(['test', 'examples/company-enrichment'], ROOT);
  t.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  t.match(run.stdout, /built company-enrichment 1\.0\.0 \(2 routes, 1 event handler, 0 jobs, 1 view\)/);
  t.match(run.stdout, /# pass 2\n/, 'both tests ran');
  t.match(run.stdout, /# fail 0\n/);
});
