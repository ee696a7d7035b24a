import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import t from 'tap';
import { cli, scaffold } from './helpers.js';

/** Edits the scaffold's manifest in place. */
async function editManifest(folder: string, edit: (m: Record<string, any>) => void): Promise<void> {
  const path = join(folder, 'mosaic-plugin.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  edit(manifest);
  await writeFile(path, JSON.stringify(manifest, null, 2));
}

t.test('build bundles the scaffold: a classic script exposing every handler, and an ES module of views', async (t) => {
  const { root, folder } = await scaffold('build');
  const run = await cli(['build', 'acme.notes'], { cwd: root });
  t.equal(run.code, 0, run.stderr);
  t.equal(run.stderr, '', 'no warnings');
  t.match(run.stdout, /^built acme\.notes 0\.1\.0 \(3 routes, 1 event handler, 1 job, 1 view\) in acme\.notes\n/);
  t.match(run.stdout, /\n {2}dist\/server\.js {2}[\d.]+ k?B\n/);
  t.match(run.stdout, /\n {2}dist\/views\.js {3}[\d.]+ k?B\n/);

  const server = await readFile(join(folder, 'dist/server.js'), 'utf8');
  t.notMatch(server, /^\s*(import|export)\s/m, 'no module syntax: a classic script');
  t.notMatch(server, /\brequire\(/, 'nothing left to load at run time');
  // Evaluated as the sandbox does: a bare global scope.
  const context = createContext({});
  runInContext(server, context);
  const plugin = runInContext('globalThis.__mosaicPlugin', context);
  t.same(Object.keys(plugin.routes).sort(), ['createNote', 'listNotes', 'stats']);
  t.same(Object.keys(plugin.events), ['onNoteCreated']);
  t.same(Object.keys(plugin.jobs), ['dailySummary']);
  t.ok(Object.isFrozen(plugin.routes));

  const views = await readFile(join(folder, 'dist/views.js'), 'utf8');
  t.match(views, /customElements\.define\("acme-notes-page"/);
  t.match(views, /^export\s*\{/m, 'an ES module');

  t.test('a dir argument defaults to the working directory', async (t) => {
    const here = await cli(['build'], { cwd: folder });
    t.equal(here.code, 0, here.stderr);
    t.match(here.stdout, 'built acme.notes 0.1.0');
  });
});

t.test('build refuses what would fail in the kernel, and writes nothing then', async (t) => {
  const { folder } = await scaffold('refuse');
  const build = () => cli(['build'], { cwd: folder });
  t.equal((await build()).code, 0);
  const good = await readFile(join(folder, 'dist/server.js'), 'utf8');
  const source = await readFile(join(folder, 'src/server.ts'), 'utf8');
  const unchanged = async () => t.equal(await readFile(join(folder, 'dist/server.js'), 'utf8'), good, 'the last good bundle stays');

  t.test('a manifest naming a handler the bundle lacks', async (t) => {
    await editManifest(folder, (m) => {
      m.routes.push({ method: 'GET', path: '/gone', handler: 'gone' });
      m.jobs[0].handler = 'nightly';
    });
    const run = await build();
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_HANDLER_MISSING: The manifest names 2 handlers the server bundle does not define\.\n/);
    t.match(run.stderr, '  - routes[3].handler: "gone" is not a function in routes of definePlugin()');
    t.match(run.stderr, '  - jobs[0].handler: "nightly" is not a function in jobs of definePlugin()');
    await unchanged();
    await editManifest(folder, (m) => {
      m.routes.pop();
      m.jobs[0].handler = 'dailySummary';
    });
  });

  t.test('an MCP tool naming a routes function the bundle lacks', async (t) => {
    await editManifest(folder, (m) => {
      m.mcp_tools = [{ name: 'summary', description: 'A summary.', input_schema: { type: 'object' }, handler: 'summarise' }];
    });
    const run = await build();
    t.equal(run.code, 1);
    t.match(run.stderr, '  - mcp_tools[0].handler: "summarise" is not a function in routes of definePlugin()');
    await unchanged();
    await editManifest(folder, (m) => {
      delete m.mcp_tools;
    });
  });

  t.test('a handler no manifest entry uses is a warning only', async (t) => {
    await writeFile(join(folder, 'src/server.ts'), source.replace('  events: {', '  events: {\n    async spare() {},'));
    const run = await build();
    t.equal(run.code, 0, run.stderr);
    t.match(run.stderr, 'warning: events.spare is defined in src/server but no manifest entry uses it.');
    await writeFile(join(folder, 'src/server.ts'), source);
    t.equal((await build()).code, 0);
    await unchanged();
  });

  for (const [label, line] of [
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const leak = readFileSync;\n"],
    ['bare fs', "import * as fs from 'fs';\nexport const leak = fs;\n"],
  ] as const) {
    t.test(`a Node built-in import (${label})`, async (t) => {
      await writeFile(join(folder, 'src/server.ts'), `${line}${source}`);
      const run = await build();
      t.equal(run.code, 1);
      t.match(run.stderr, /^error MOSAIC_ERR_CLI_NODE_BUILTIN: The server code imports a Node built-in module/);
      t.match(run.stderr, /\n {2}- src\/server\.ts:1:\d+: ".*fs" is a Node built-in module; plugin server code runs in a sandbox without Node APIs, so use ctx\.host instead\.\n/);
      await unchanged();
    });
  }

  t.test('code esbuild cannot bundle: every error with file and line', async (t) => {
    await writeFile(join(folder, 'src/server.ts'), `import { nothing } from './missing.js';\n${source}\nconst = ;\n`);
    const run = await build();
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_BUNDLE_FAILED: The server bundle could not be built: /);
    t.match(run.stderr, /\n {2}- src\/server\.ts:\d+:\d+: /);
    await unchanged();
  });

  t.test('the SDK testing entry is not for server code', async (t) => {
    await writeFile(join(folder, 'src/server.ts'), `import { startTestKernel } from '@mosaic/plugin-sdk/testing';\nexport const x = startTestKernel;\n${source}`);
    const run = await build();
    t.equal(run.code, 1);
    t.match(run.stderr, /MOSAIC_ERR_CLI_BUNDLE_FAILED.*\n.*"@mosaic\/plugin-sdk\/testing" is for Node \(tests and tools\), not for plugin server code/);
  });

  t.test('a bundle that throws, or never calls definePlugin', async (t) => {
    await writeFile(join(folder, 'src/server.ts'), `throw new Error('boom at load');\n`);
    const threw = await build();
    t.equal(threw.code, 1);
    t.match(threw.stderr, /^error MOSAIC_ERR_CLI_BUNDLE_EVAL: Evaluating dist\/server\.js threw: boom at load\n/);
    await writeFile(join(folder, 'src/server.ts'), `export const nothing = 1;\n`);
    const silent = await build();
    t.match(silent.stderr, /^error MOSAIC_ERR_CLI_BUNDLE_EVAL: dist\/server\.js did not assign globalThis\.__mosaicPlugin; call definePlugin/);
    await unchanged();
    await writeFile(join(folder, 'src/server.ts'), source);
  });

  t.test('a manifest naming a bundle without its source', async (t) => {
    await rm(join(folder, 'src/views.ts'));
    const run = await build();
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_CLI_ENTRY_MISSING: The manifest's "ui" is built from src\/views\.ts, which does not exist/);
  });

  t.test('an invalid manifest: every problem with its path', async (t) => {
    await editManifest(folder, (m) => {
      m.version = 'one';
      m.routes[0].handler = '1bad';
      m.colour = 'blue';
    });
    const run = await build();
    t.equal(run.code, 1);
    t.match(run.stderr, /^error MOSAIC_ERR_MANIFEST_INVALID: the manifest has 3 problems\n/);
    t.match(run.stderr, '  - version: ');
    t.match(run.stderr, '  - routes[0].handler: ');
    t.match(run.stderr, '  - colour: "colour" is not a known key here; check its spelling. [MOSAIC_ERR_MANIFEST_SCHEMA]');
  });
});

t.test('a plugin without server code or views builds nothing and says so', async (t) => {
  const { folder } = await scaffold('bare', 'acme.bare');
  await editManifest(folder, (m) => {
    for (const key of ['routes', 'events', 'jobs', 'views', 'server', 'ui']) delete m[key];
  });
  const run = await cli(['build'], { cwd: folder });
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, '(0 routes, 0 event handlers, 0 jobs, 0 views)');
  t.match(run.stderr, 'warning: src/server is not built: the manifest has no "server" path');
  t.match(run.stderr, 'warning: src/views is not built: the manifest has no "ui" path.');
  t.rejects(stat(join(folder, 'dist')), 'no dist folder');
  await mkdir(join(folder, 'dist'));
});
