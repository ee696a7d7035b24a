import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { call, connectClient, errorText, installCorePlugins, PLUGINS_DIR } from './helpers.js';

// The MCP server driven by the official SDK client over real HTTP, authenticated with workspace API keys:
// every kernel tool, a plugin tool, and the permission rules of the HTTP API applied to both.

t.test('the official MCP client lists and calls the tools with an API key', async (t) => {
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: PLUGINS_DIR });
  const owner = await signUp(kernel.app);
  await installCorePlugins(kernel.app, owner, ['companies', 'people', 'opportunities']);
  const base = await kernel.app.listen({ host: '127.0.0.1', port: 0 });
  const admin = await createApiKey(kernel.app, owner, 'admin');
  const client = await connectClient(base, admin.key);
  t.teardown(() => client.close());

  t.test('tools/list: the kernel tools over the readable objects, and the plugin tool', async (t) => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    t.same(names.slice(0, 8), ['list_objects', 'describe_object', 'find_records', 'get_record', 'search', 'create_record', 'update_record', 'delete_record']);
    t.ok(names.includes('opportunities__pipeline_summary'), 'the opportunities plugin contributes its tool');
    const find = tools.find((tool) => tool.name === 'find_records')!;
    const objectEnum = (find.inputSchema.properties as any).object.enum as string[];
    t.same(objectEnum, ['company', 'opportunity', 'person'], 'the object parameter lists the data model');
    const summary = tools.find((tool) => tool.name === 'opportunities__pipeline_summary')!;
    t.match(summary.description, /per stage/);
    t.same(summary.inputSchema, { type: 'object', properties: {}, additionalProperties: false });
  });

  t.test('list_objects and describe_object describe the data model', async (t) => {
    const objects = await call(client, 'list_objects');
    t.notOk(objects.isError);
    t.same(objects.structuredContent.data.map((o: { name: string }) => o.name).sort(), ['company', 'opportunity', 'person']);
    t.match(JSON.parse(objects.content[0]!.text), { data: [{}] }, 'the same JSON comes as text for clients that read only text');

    const described = (await call(client, 'describe_object', { object: 'opportunity' })).structuredContent.data;
    t.equal(described.name, 'opportunity');
    const stage = described.fields.find((f: { name: string }) => f.name === 'stage');
    t.same(stage.options.options.map((o: { value: string }) => o.value), ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'], 'select options in order');
    t.same(described.relations.find((r: { field: string }) => r.field === 'company'), { field: 'company', key: 'company_id', kind: 'many_to_one', target: 'company', inverse_name: 'opportunities', on_delete: 'set_null' });
    t.ok(described.filterable_paths.includes('amount.amount'), 'filterable paths name sub-fields');
    const company = (await call(client, 'describe_object', { object: 'company' })).structuredContent.data;
    t.match(company.relations.find((r: { field: string }) => r.field === 'opportunities'), { kind: 'one_to_many', source_object: 'opportunity', source_field: 'company' });

    t.match(errorText(await call(client, 'describe_object', { object: 'nope' })), /^MOSAIC_ERR_OBJECT_NOT_FOUND: /);
  });

  t.test('create, find (filter and cursor), get, update, search and delete records', async (t) => {
    const created = [];
    for (const [name, employees] of [['Acme Anvils', 10], ['Acme Rockets', 50], ['Acme Magnets', 90], ['Globex', 500]] as const) {
      const result = await call(client, 'create_record', { object: 'company', data: { name, employees } });
      t.notOk(result.isError, result.content[0]?.text);
      created.push(result.structuredContent.data as { id: string; name: string; created_by: { type: string } });
    }
    t.equal(created[0]!.created_by.type, 'api_key', 'written as the API key, like over HTTP');

    const filter = 'and(name[ilike]:"acme%",employees[gte]:20)';
    const first = (await call(client, 'find_records', { object: 'company', filter, order_by: 'employees[Asc]', limit: 1, count: true })).structuredContent;
    t.same(first.data.map((r: { name: string }) => r.name), ['Acme Rockets']);
    t.equal(first.total_count, 2);
    t.equal(first.page_info.has_next_page, true);
    const second = (await call(client, 'find_records', { object: 'company', filter, order_by: 'employees[Asc]', limit: 1, starting_after: first.page_info.end_cursor })).structuredContent;
    t.same(second.data.map((r: { name: string }) => r.name), ['Acme Magnets'], 'the cursor continues after the first page');
    t.equal(second.page_info.has_next_page, false);
    t.match(errorText(await call(client, 'find_records', { object: 'company', filter: 'name[frobnicate]:1' })), /^MOSAIC_ERR_QUERY_/, 'a bad filter is a tool error with the query code');

    const updated = await call(client, 'update_record', { object: 'company', id: created[0]!.id, data: { employees: 11 } });
    t.equal(updated.structuredContent.data.employees, 11);
    const read = await call(client, 'get_record', { object: 'company', id: created[0]!.id });
    t.equal(read.structuredContent.data.employees, 11);

    const hits = (await call(client, 'search', { q: 'rockets' })).structuredContent.data;
    t.match(hits, [{ object: 'company', id: created[1]!.id, label: 'Acme Rockets' }]);

    const deleted = await call(client, 'delete_record', { object: 'company', id: created[3]!.id });
    t.ok(deleted.structuredContent.data.deleted_at, 'a soft delete: the record comes back with deleted_at');
    t.match(errorText(await call(client, 'get_record', { object: 'company', id: created[3]!.id })), /^MOSAIC_ERR_RECORD_NOT_FOUND: /);
    const rest = (await call(client, 'find_records', { object: 'company', order_by: 'name[Asc]' })).structuredContent.data;
    t.same(rest.map((r: { name: string }) => r.name), ['Acme Anvils', 'Acme Magnets', 'Acme Rockets']);
    const trashed = await api(kernel.app, admin).get(`/api/objects/company/${created[3]!.id}?deleted=only`);
    t.equal(trashed.status, 200, 'still in the trash, restorable');

    t.match(errorText(await call(client, 'create_record', { object: 'company', data: { employees: 3 } })), /^MOSAIC_ERR_RECORD_INVALID: /, 'validation is the records layer\'s');
  });

  t.test('bad arguments and unknown tools are tool errors with codes', async (t) => {
    t.match(errorText(await call(client, 'get_record', { object: 'company', id: 'not-a-uuid' })), /^MOSAIC_ERR_MCP_TOOL_INPUT: .*\/id/);
    t.match(errorText(await call(client, 'find_records', { object: 'company', limit: 5000 })), /^MOSAIC_ERR_MCP_TOOL_INPUT: /);
    t.match(errorText(await call(client, 'launch_rockets')), /^MOSAIC_ERR_MCP_TOOL_UNKNOWN: /);
  });

  t.test('the opportunities plugin tool totals the pipeline in its sandbox', async (t) => {
    const deals = [
      { name: 'A', stage: 'new', amount: { amount: 1000, currency: 'USD' }, probability: 10 },
      { name: 'B', stage: 'new', amount: { amount: 500.5, currency: 'USD' }, probability: 20 },
      { name: 'C', stage: 'proposal', amount: { amount: 2000, currency: 'EUR' }, probability: 50 },
    ];
    for (const data of deals) t.notOk((await call(client, 'create_record', { object: 'opportunity', data })).isError);
    const result = await call(client, 'opportunities__pipeline_summary');
    t.notOk(result.isError, result.content[0]?.text);
    const summary = result.structuredContent;
    t.same(summary.stages[0], { stage: 'new', count: 2, amount: { USD: 1500.5 }, weighted: { USD: 200.1 } });
    t.same(summary.stages[2], { stage: 'proposal', count: 1, amount: { EUR: 2000 }, weighted: { EUR: 1000 } });
    t.equal(summary.counted, 3);
    t.match(errorText(await call(client, 'opportunities__pipeline_summary', { extra: 1 })), /^MOSAIC_ERR_MCP_TOOL_INPUT: /, 'arguments are checked against the manifest\'s input_schema');
  });

  t.test('a viewer key reads but cannot create; a hidden field never shows, also through a plugin tool', async (t) => {
    const viewerKey = await createApiKey(kernel.app, owner, 'viewer');
    const viewer = await connectClient(base, viewerKey.key);
    t.teardown(() => viewer.close());
    t.match(errorText(await call(viewer, 'create_record', { object: 'company', data: { name: 'Nope' } })), /^MOSAIC_ERR_FORBIDDEN: /);
    t.equal((await call(viewer, 'find_records', { object: 'company' })).structuredContent.data.length, 3);

    const role = await api(kernel.app, owner).post('/api/workspace/roles', {
      key: 'no_money',
      name: 'No money',
      permissions: {
        workspace: [],
        objects: { '*': { read: true, create: true, update: true, delete: false } },
        fields: { company: { employees: { read: false, update: false } }, opportunity: { amount: { read: false, update: false } } },
      },
    });
    t.equal(role.status, 201, JSON.stringify(role.body));
    const limitedKey = await createApiKey(kernel.app, owner, 'no_money');
    const limited = await connectClient(base, limitedKey.key);
    t.teardown(() => limited.close());
    const rows = (await call(limited, 'find_records', { object: 'company' })).structuredContent.data;
    t.ok(rows.length > 0 && rows.every((r: Record<string, unknown>) => !('employees' in r) && 'name' in r), 'the hidden field is not in any row');
    const described = (await call(limited, 'describe_object', { object: 'company' })).structuredContent.data;
    t.notOk(described.fields.some((f: { name: string }) => f.name === 'employees'), 'nor in the description');
    t.notOk(described.filterable_paths.includes('employees'));
    t.match(errorText(await call(limited, 'find_records', { object: 'company', filter: 'employees[gt]:1' })), /^MOSAIC_ERR_FIELD_FORBIDDEN: /);
    // The plugin may read every amount; through MCP it acts with the member's field restrictions too.
    t.match(errorText(await call(limited, 'opportunities__pipeline_summary')), /MOSAIC_ERR_FIELD_FORBIDDEN/);
    t.match(errorText(await call(limited, 'delete_record', { object: 'company', id: rows[0].id })), /^MOSAIC_ERR_FORBIDDEN: /);
  });

  t.test('a disabled plugin\'s tools are gone from the list and cannot be called', async (t) => {
    const disabled = await api(kernel.app, owner).patch('/api/plugins/opportunities', { enabled: false });
    t.equal(disabled.status, 200, JSON.stringify(disabled.body).slice(0, 300));
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    t.notOk(names.includes('opportunities__pipeline_summary'));
    t.match(errorText(await call(client, 'opportunities__pipeline_summary')), /^MOSAIC_ERR_MCP_TOOL_UNKNOWN: /);
  });
});
