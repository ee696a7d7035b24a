import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, signUp } from '../helpers/auth.js';
import { startPeerKernel, startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { call, connectClient } from './helpers.js';

// Two kernel processes on one database, as behind a load balancer: /mcp keeps no session, so consecutive
// requests of one client may land on either process, and a schema change made through one process reaches
// the other's tool list through the invalidation channel.

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

t.test('/mcp across two kernel processes', async (t) => {
  const one = await startTestKernel(t);
  const two = await startPeerKernel(t, one);
  const baseOne = await one.app.listen({ host: '127.0.0.1', port: 0 });
  const baseTwo = await two.app.listen({ host: '127.0.0.1', port: 0 });
  const owner = await signUp(one.app);
  const key = await createApiKey(one.app, owner, 'admin');

  const client = await connectClient(baseTwo, key.key);
  t.teardown(() => client.close());
  const objectsOnTwo = async () => ((await client.listTools()).tools.find((tool) => tool.name === 'find_records')!.inputSchema.properties as any).object.enum as string[] | undefined;
  t.equal(await objectsOnTwo(), undefined, 'process two has loaded the (empty) data model');

  t.equal((await api(one.app, owner).post('/api/metadata/objects', { name: 'ticket', fields: [{ name: 'subject', type: 'text' }] })).status, 201);
  const seen = await waitFor(async () => (await objectsOnTwo())?.includes('ticket'), 15_000, 50);
  t.ok(seen, 'an object created through process one is in process two\'s tool list');

  // No Mcp-Session-Id: a client initialised on one process calls tools on the other.
  const rpc = (base: string, body: unknown) =>
    fetch(`${base}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, ...key.headers, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify(body) }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
  const init = await rpc(baseOne, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  t.equal(init.status, 200);
  const created = await rpc(baseTwo, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_record', arguments: { object: 'ticket', data: { subject: 'Printer on fire' } } } });
  t.equal(created.status, 200);
  t.equal(created.body.result.structuredContent.data.subject, 'Printer on fire');
  const onOne = await connectClient(baseOne, key.key);
  t.teardown(() => onOne.close());
  const found = await call(onOne, 'find_records', { object: 'ticket' });
  t.same(found.structuredContent.data.map((r: { subject: string }) => r.subject), ['Printer on fire'], 'and process one reads it');
});
