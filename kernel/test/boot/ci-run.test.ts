import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { REPO_ROOT, tempFolder } from '../helpers/main-process.js';

/**
 * `.ci/run` against stand-ins for npm, pg_isready, pg_ctlcluster and apt-get, so its summary line and
 * exit status are checked without reinstalling node_modules.
 */

const STUBS: Record<string, string> = {
  npm: `echo "npm $* CI=$CI DATABASE_URL=$DATABASE_URL" >> "$STUB_DIR/calls"
if [ "$1" = test ]; then cat "$STUB_DIR/tap-output"; exit "$(cat "$STUB_DIR/npm-status")"; fi`,
  pg_isready: `[ -e "$STUB_DIR/pg-up" ]`,
  pg_ctlcluster: `echo "pg_ctlcluster $*" >> "$STUB_DIR/calls"; touch "$STUB_DIR/pg-up"`,
  'apt-get': `echo "apt-get $*" >> "$STUB_DIR/calls"`,
};

async function runCi(t: { teardown(fn: () => unknown): void }, tapOutput: string, npmStatus: number, pgUp = true) {
  const dir = await tempFolder(t);
  const stubs = join(dir, 'bin');
  await mkdir(stubs);
  for (const [name, body] of Object.entries(STUBS)) {
    await writeFile(join(stubs, name), `#!/usr/bin/env bash\n${body}\n`);
    await chmod(join(stubs, name), 0o755);
  }
  await mkdir(join(dir, 'repo', '.ci'), { recursive: true });
  await copyFile(join(REPO_ROOT, '.ci', 'run'), join(dir, 'repo', '.ci', 'run'));
  await writeFile(join(dir, 'tap-output'), tapOutput);
  await writeFile(join(dir, 'npm-status'), String(npmStatus));
  if (pgUp) await writeFile(join(dir, 'pg-up'), '');

  const env: Record<string, string | undefined> = { ...process.env, PATH: `${stubs}:${process.env.PATH}`, STUB_DIR: dir };
  delete env.DATABASE_URL;
  delete env.CI;
  const result = spawnSync('bash', [join(dir, 'repo', '.ci', 'run')], { env, encoding: 'utf8', timeout: 20_000 });
  const calls = await readFile(join(dir, 'calls'), 'utf8').catch(() => '');
  const lines = result.stdout.trimEnd().split('\n');
  return { status: result.status, last: lines[lines.length - 1], stdout: result.stdout, calls };
}

t.test('all passing', async (t) => {
  const run = await runCi(t, 'ok 1 - a.test.ts\n# { total: 21, pass: 21 }\n# time=1ms\n', 0);
  t.equal(run.status, 0);
  t.equal(run.last, 'tests: 21 passed, 0 failed');
  t.match(run.calls, 'npm ci');
  t.match(run.calls, 'npm test CI=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/test');
  t.notMatch(run.calls, 'pg_ctlcluster', 'a running PostgreSQL is left alone');
  if (existsSync('/usr/bin/chromium')) t.notMatch(run.calls, 'apt-get');
  else t.match(run.calls, 'apt-get install -y chromium');
});

t.test('failures, skips and colour codes', async (t) => {
  const run = await runCi(t, '\x1b[31m# { total: 75, pass: 72, fail: 1, skip: 1, todo: 1 }\x1b[0m\n', 1);
  t.equal(run.status, 1);
  t.equal(run.last, 'tests: 72 passed, 1 failed');
  t.match(run.stdout, '(1 skipped, 1 todo of 75)');
});

t.test('npm test failing before tap ran (e.g. typecheck)', async (t) => {
  const run = await runCi(t, 'error TS2322: nope\n', 2);
  t.equal(run.status, 1);
  t.equal(run.last, 'tests: 0 passed, 0 failed');
});

t.test('no tests at all is a failure', async (t) => {
  const run = await runCi(t, '# { total: 0, pass: 0 }\n', 0);
  t.equal(run.status, 1);
  t.equal(run.last, 'tests: 0 passed, 0 failed');
});

t.test('a stopped PostgreSQL is started first', async (t) => {
  const run = await runCi(t, '# { total: 1, pass: 1 }\n', 0, false);
  t.equal(run.status, 0);
  t.match(run.calls, /^pg_ctlcluster --skip-systemctl-redirect \S+ main start$/m);
});
