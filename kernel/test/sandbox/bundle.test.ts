import { fileURLToPath } from 'node:url';
import t from 'tap';
import { bundlePluginServer } from '../../src/sandbox/index.js';
import { recordingHost, rejection, route, sandbox } from './fixtures/helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/bundle/${name}/server.js`, import.meta.url));

t.test('bundles a multi-file entry into one classic script that runs in the sandbox', async (t) => {
  const script = await bundlePluginServer(fixture('hello'));
  t.match(script, /^"use strict";\n\(\(\) => \{/, 'an IIFE');
  t.notMatch(script, /\bimport\b|\bexport\b|require\(/, 'no module syntax left');
  const box = sandbox(t, script);
  const { host, calls } = recordingHost(() => ({ id: 'me' }));
  t.same(await route(box, 'hello', { name: 'Ada' }, { host }), { text: 'Hello, Ada!', calls: 1, me: { id: 'me' } });
  t.same(calls, [{ capability: 'people', method: 'me', args: [] }]);
});

t.test('inlines ordinary npm dependencies', async (t) => {
  const box = sandbox(t, await bundlePluginServer(fixture('deps')));
  t.equal(await route(box, 'satisfies', { version: '1.4.2', range: '^1.2.0' }), true);
  t.equal(await route(box, 'satisfies', { version: '2.0.0', range: '^1.2.0' }), false);
});

t.test('refuses Node built-ins, with or without the node: prefix', async (t) => {
  for (const name of ['node-builtin', 'bare-builtin']) {
    const error = await rejection(bundlePluginServer(fixture(name)));
    t.equal(error.code, 'MOSAIC_ERR_PLUGIN_BUNDLE_FAILED', name);
    t.equal(error.statusCode, 400);
    t.match(error.message, /is a Node built-in module; .*use ctx\.host instead/);
    t.match(error.details, [{ path: /server\.js:1:\d+$/ }], 'points at the import');
  }
});

t.test('reports every esbuild error with its location', async (t) => {
  const error = await rejection(bundlePluginServer(fixture('broken')));
  t.equal(error.code, 'MOSAIC_ERR_PLUGIN_BUNDLE_FAILED');
  t.ok(error.details.length >= 1);
  t.match(error.details, [{ path: /broken\/server\.js:\d+:\d+$/, message: String }]);
  const missing = await rejection(bundlePluginServer(fixture('nope')));
  t.equal(missing.code, 'MOSAIC_ERR_PLUGIN_BUNDLE_FAILED', 'a missing entry file');
});
