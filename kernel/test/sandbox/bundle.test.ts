import { fileURLToPath } from 'node:url';
import t from 'tap';
import { bundleServer } from '@mosaic/plugin-sdk/cli';
import { recordingHost, rejection, route, sandbox } from './fixtures/helpers.js';

// Server code as the SDK bundles it (what `mosaic-plugin build` writes) runs in the kernel's sandbox.
const bundled = (name: string): Promise<string> => bundleServer(fileURLToPath(new URL(`./fixtures/bundle/${name}/`, import.meta.url)), 'server.js');

t.test('bundles a multi-file entry into one classic script that runs in the sandbox', async (t) => {
  const script = await bundled('hello');
  t.match(script, /^"use strict";\n\(\(\) => \{/, 'an IIFE');
  t.notMatch(script, /\bimport\b|\bexport\b|require\(/, 'no module syntax left');
  const box = sandbox(t, script);
  const { host, calls } = recordingHost(() => ({ id: 'me' }));
  t.same(await route(box, 'hello', { name: 'Ada' }, { host }), { text: 'Hello, Ada!', calls: 1, me: { id: 'me' } });
  t.same(calls, [{ capability: 'people', method: 'me', args: [] }]);
});

t.test('inlines ordinary npm dependencies', async (t) => {
  const box = sandbox(t, await bundled('deps'));
  t.equal(await route(box, 'satisfies', { version: '1.4.2', range: '^1.2.0' }), true);
  t.equal(await route(box, 'satisfies', { version: '2.0.0', range: '^1.2.0' }), false);
});

t.test('refuses Node built-ins, with or without the node: prefix', async (t) => {
  for (const name of ['node-builtin', 'bare-builtin']) {
    const error = await rejection(bundled(name));
    t.equal(error.code, 'MOSAIC_ERR_CLI_NODE_BUILTIN', name);
    t.match(error.message, /Node built-in module; .*use ctx\.host/);
    t.match(error.details, [/^server\.js:1:\d+: .*is a Node built-in module/], 'points at the import');
  }
});

t.test('reports every esbuild error with its location', async (t) => {
  const error = await rejection(bundled('broken'));
  t.equal(error.code, 'MOSAIC_ERR_CLI_BUNDLE_FAILED');
  t.ok(error.details.length >= 1);
  t.match(error.details, [/^server\.js:\d+:\d+: ./]);
  const missing = await rejection(bundled('nope'));
  t.equal(missing.code, 'MOSAIC_ERR_CLI_BUNDLE_FAILED', 'a missing entry file');
});
