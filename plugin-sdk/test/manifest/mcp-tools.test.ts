import t, { type Test } from 'tap';
import { validateManifest } from '../../src/index.js';
import { changed } from './fixtures.js';

// `mcp_tools`: tools a plugin offers AI agents through the kernel's MCP server.

const tool = (extra: Record<string, unknown> = {}) => ({
  name: 'lookup',
  description: 'Looks a company up by domain.',
  input_schema: { type: 'object', properties: { domain: { type: 'string', format: 'hostname' } }, required: ['domain'] },
  handler: 'lookup',
  ...extra,
});

function found(input: unknown): string[] {
  const result = validateManifest(input);
  return result.ok ? [] : result.problems.map((p) => `${p.code} ${p.path}`).sort();
}

function expectProblems(t: Test, input: unknown, expected: string[], name = 'reports exactly these problems'): void {
  t.same(found(input), [...expected].sort(), name);
}

t.test('a valid tool passes and survives validation unchanged', async (t) => {
  const input = changed((m) => (m.mcp_tools = [tool(), tool({ name: 'enrich_all', input_schema: { type: 'object' } })]));
  const result = validateManifest(input);
  t.ok(result.ok, JSON.stringify(result.ok ? null : result.problems));
  if (result.ok) t.same(result.manifest.mcp_tools, input.mcp_tools);
});

t.test('shape: required keys, snake_case names, object input schemas, no unknown keys', async (t) => {
  expectProblems(t, changed((m) => (m.mcp_tools = [{ name: 'lookup', handler: 'lookup' }])), ['MOSAIC_ERR_MANIFEST_SCHEMA mcp_tools[0].description', 'MOSAIC_ERR_MANIFEST_SCHEMA mcp_tools[0].input_schema']);
  expectProblems(t, changed((m) => (m.mcp_tools = [tool({ name: 'Look Up' })])), ['MOSAIC_ERR_MANIFEST_SCHEMA mcp_tools[0].name']);
  expectProblems(t, changed((m) => (m.mcp_tools = [tool({ name: 'look__up' })])), ['MOSAIC_ERR_MANIFEST_SCHEMA mcp_tools[0].name'], 'a double underscore would make the MCP name ambiguous');
  expectProblems(t, changed((m) => (m.mcp_tools = [tool({ input_schema: { type: 'array' } })])), ['MOSAIC_ERR_MANIFEST_SCHEMA mcp_tools[0].input_schema.type']);
  expectProblems(t, changed((m) => (m.mcp_tools = [tool({ scope: 'all' })])), ['MOSAIC_ERR_MANIFEST_SCHEMA mcp_tools[0].scope']);
});

t.test('handlers, duplicates, schemas that do not compile, the server bundle', async (t) => {
  expectProblems(t, changed((m) => (m.mcp_tools = [tool({ handler: 'constructor' })])), ['MOSAIC_ERR_MANIFEST_HANDLER mcp_tools[0].handler']);
  expectProblems(t, changed((m) => (m.mcp_tools = [tool({ handler: 'not-an-identifier' })])), ['MOSAIC_ERR_MANIFEST_HANDLER mcp_tools[0].handler']);
  expectProblems(t, changed((m) => (m.mcp_tools = [tool(), tool({ handler: 'other' })])), ['MOSAIC_ERR_MANIFEST_DUPLICATE mcp_tools[1].name']);
  const badPattern = { type: 'object', properties: { q: { type: 'string', pattern: '([' } } };
  expectProblems(t, changed((m) => (m.mcp_tools = [tool({ input_schema: badPattern })])), ['MOSAIC_ERR_MANIFEST_SCHEMA mcp_tools[0].input_schema']);
  expectProblems(t, changed((m) => { m.mcp_tools = [tool()]; delete m.server; delete m.routes; delete m.events; delete m.jobs; }), ['MOSAIC_ERR_MANIFEST_BUNDLE_MISSING server']);
});
