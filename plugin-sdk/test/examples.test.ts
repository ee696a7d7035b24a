import { fileURLToPath } from 'node:url';
import t from 'tap';
import { cli } from './cli/helpers.js';

// The repository's example plugins, run as their authors run them: `mosaic-plugin test` builds the
// example (dist/ is never committed) and runs its node:test files, each against a real kernel on
// PostgreSQL. So the examples stay working as the SDK and the kernel change.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

t.test('examples/sample-deal-notes: its handler and lifecycle tests pass against a real kernel', async (t) => {
  const run = await cli(['test', 'examples/sample-deal-notes'], { cwd: ROOT });
  t.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  t.match(run.stdout, /^built deal-notes 1\.0\.0 \(3 routes, 1 event handler, 1 job, 1 view\) /);
  t.match(run.stdout, '\ntesting deal-notes: test/handlers.test.ts, test/lifecycle.test.ts\n');
  // 3 handler tests and 10 lifecycle steps: a step that silently stopped running would show here.
  t.match(run.stdout, /# pass 13\n/);
  t.match(run.stdout, /# fail 0\n/);
  t.match(run.stdout, /tests of deal-notes passed\n$/);
});
