import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

// The first-party plugins, run as their authors run them: `mosaic-plugin test plugins/<id>` builds the
// plugin and runs its node:test files against a real kernel on PostgreSQL. Their built bundles are
// committed (the kernel installs them from plugins.config.json at `npm start`), so each build must
// reproduce the committed dist/ byte for byte: otherwise someone changed src/ without rebuilding.
// In dependency order: a plugin's tests install the plugins it depends on from their folders.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'node_modules', '.bin', 'mosaic-plugin');
const PLUGINS = [
  { id: 'companies', version: '1.0.0', summary: '1 route, 0 event handlers, 0 jobs, 1 view', files: 'test/companies.test.ts', tests: 4 },
  { id: 'people', version: '1.0.0', summary: '1 route, 0 event handlers, 0 jobs, 1 view', files: 'test/people.test.ts', tests: 6 },
  { id: 'opportunities', version: '1.0.0', summary: '1 route, 2 event handlers, 0 jobs, 2 views', files: 'test/lifecycle.test.ts, test/totals.test.ts', tests: 9 },
  { id: 'activities', version: '1.2.0', summary: '8 routes, 1 event handler, 0 jobs, 2 views', files: 'test/activities.test.ts, test/standalone.test.ts', tests: 8 },
  { id: 'duplicates', version: '1.0.0', summary: '6 routes, 0 event handlers, 0 jobs, 4 views', files: 'test/duplicates.test.ts, test/normalise.test.ts', tests: 10 },
  { id: 'import-export', version: '1.0.0', summary: '6 routes, 0 event handlers, 0 jobs, 1 view', files: 'test/import-export.test.ts', tests: 4 },
] as const;
const BUNDLES = ['dist/server.js', 'dist/views.js'] as const;

/** Runs the CLI in a child process, as `npx mosaic-plugin` would, without tap's loader hooks. */
function mosaicPlugin(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise((done, fail) => {
    const child = spawn(CLI, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, output }));
  });
}

const readBundles = (id: string) => Promise.all(BUNDLES.map((file) => readFile(join(ROOT, 'plugins', id, file), 'utf8').catch(() => null)));

for (const plugin of PLUGINS) {
  t.test(`plugins/${plugin.id}: the committed bundles match the sources, and its tests pass against a real kernel`, async (t) => {
    const committed = await readBundles(plugin.id);
    const run = await mosaicPlugin(['test', `plugins/${plugin.id}`]);
    t.equal(run.code, 0, run.output);
    t.match(run.output, `built ${plugin.id} ${plugin.version} (${plugin.summary}) `);
    t.match(run.output, `\ntesting ${plugin.id}: ${plugin.files}\n`);
    // A test that silently stopped running would show here.
    t.match(run.output, new RegExp(`# pass ${plugin.tests}\\n`));
    t.match(run.output, /# fail 0\n/);

    const built = await readBundles(plugin.id);
    for (const [index, file] of BUNDLES.entries()) {
      t.ok(committed[index] !== null && committed[index] === built[index], `plugins/${plugin.id}/${file} is what its sources build to (run \`npx mosaic-plugin build plugins/${plugin.id}\` and commit dist/)`);
    }
  });
}
