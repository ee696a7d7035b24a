import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { cli, scaffold } from './helpers.js';

// `test` runs the plugin's own tests in child processes, each with a real kernel on PostgreSQL.

t.test('test builds the scaffold and runs its tests unchanged, against a real kernel', async (t) => {
  const { root } = await scaffold('test-command');
  const run = await cli(['test', 'acme.notes'], { cwd: root });
  t.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  t.match(run.stdout, /^built acme\.notes 0\.1\.0 /);
  t.match(run.stdout, '\ntesting acme.notes: test/plugin.test.ts\n');
  t.match(run.stdout, /# pass 4\n/);
  t.match(run.stdout, /# fail 0\n/);
  t.match(run.stdout, /tests of acme\.notes passed\n$/);
});

t.test('a failing test fails the command; no tests is an error too', async (t) => {
  const { folder } = await scaffold('test-failing');
  const test = join(folder, 'test/plugin.test.ts');
  const source = await readFile(test, 'utf8');
  // Breaks the test that needs no kernel, so this stays quick.
  await writeFile(test, source.replace("status: 400, body: { error: { code: 'ACME_NOTES_TITLE_REQUIRED'", "status: 418, body: { error: { code: 'ACME_NOTES_TITLE_REQUIRED'"));
  const failed = await cli(['test'], { cwd: folder });
  t.equal(failed.code, 1);
  t.match(failed.stdout, /# fail [1-9]/);
  t.match(failed.stderr, /error MOSAIC_ERR_CLI_TESTS_FAILED: The tests of acme\.notes failed \(node --test exited with 1\); the failures are above\.\n$/);

  await rm(join(folder, 'test'), { recursive: true });
  const none = await cli(['test'], { cwd: folder });
  t.equal(none.code, 1);
  t.match(none.stderr, /^error MOSAIC_ERR_CLI_NO_TESTS: No test files in .*acme\.notes\/test/);
});
