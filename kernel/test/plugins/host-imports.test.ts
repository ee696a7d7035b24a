import t from 'tap';
import type { PluginManifest } from '@mosaic/plugin-sdk';
import type { AuthContext } from '../../src/index.js';
import { createHostBridge } from '../../src/plugins/host/bridge.js';
import { pluginActor } from '../../src/plugins/host/records.js';
import { RecordService } from '../../src/records/service.js';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp, type Session } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { hostApiManifest } from './fixtures/host-api.js';

type Kernel = Awaited<ReturnType<typeof startTestKernel>>;

/** The member a session belongs to, with their role, as the plugin route handler receives them. */
async function memberOf(kernel: Kernel, session: Session): Promise<AuthContext> {
  const token = session.cookie.split('=')[1];
  const credential = await (kernel.app as unknown as { authenticator: { session(token: string): Promise<{ auth: AuthContext }> } }).authenticator.session(token);
  return credential.auth;
}

/** `ctx.host.imports.<method>(...args)` as a route handler of `manifest` called by `member` (or by nobody: a job). */
function bridge(kernel: Kernel, manifest: PluginManifest, workspaceId: string, member?: AuthContext) {
  const host = createHostBridge({
    services: kernel.services,
    records: new RecordService(kernel.services),
    manifest,
    workspaceId,
    actor: pluginActor(manifest),
    invocation: { kind: member ? 'routes' : 'jobs', handler: 'test' },
    ...(member ? { member } : {}),
  });
  return (method: string, ...args: unknown[]) => host('imports', method, args) as Promise<any>;
}

const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code);

t.test('ctx.host.imports runs CSV imports for the member calling a route, on their role', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'domain', type: 'text', is_unique: true }] });
  const member = await memberOf(kernel, owner);
  const granted = hostApiManifest({ permissions: { imports: true } });

  t.equal(await code(bridge(kernel, hostApiManifest(), owner.workspaceId, member)('objects')), 'MOSAIC_ERR_PLUGIN_PERMISSION', 'needs permissions.imports');
  t.equal(await code(bridge(kernel, granted, owner.workspaceId)('objects')), 'MOSAIC_ERR_PLUGIN_PERMISSION', 'only from a route, for its caller: no member in jobs and events');

  const imports = bridge(kernel, granted, owner.workspaceId, member);
  const objects = await imports('objects');
  const company = objects.find((o: any) => o.name === 'company');
  t.equal(company.can_import, true);
  t.ok(['id', 'name', 'domain'].every((key) => company.columns.some((c: any) => c.key === key)), 'with the columns an export offers');
  t.equal(await code(imports('prepare', 42)), 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID');
  t.equal(await code(imports('prepare', 'company', { colour: 'red' })), 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID');
  t.equal(await code(imports('get', 'not-an-id')), 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID');

  const prepared = await imports('prepare', 'company', { file_name: 'companies.csv' });
  t.match(prepared, { id: String, upload_url: new RegExp(`^/api/imports/${prepared.id}/file\\?token=[\\w-]{20,}$`), max_bytes: 100 * 1024 * 1024 });
  t.equal((await imports('get', prepared.id)).status, 'awaiting_file');
  t.equal(await code(imports('start', prepared.id, { mapping: ['name'] })), 'MOSAIC_ERR_IMPORT_STATE', 'no file yet');

  // The browser sends the file straight to the kernel: the URL's token is the authorisation.
  const put = (url: string, headers: Record<string, string> = {}) =>
    kernel.app.inject({ method: 'PUT', url, headers: { 'content-type': 'text/csv', ...headers }, payload: 'Name,Domain\nAcme,acme.com\nGlobex,globex.com\n' });
  let res = await put(prepared.upload_url.replace(/token=.*/, 'token=wrong-token-wrong-token-wrong'));
  t.equal(res.json().error.code, 'MOSAIC_ERR_IMPORT_NOT_FOUND', 'a wrong token uploads nothing');
  res = await put(prepared.upload_url, { cookie: owner.cookie });
  t.equal(res.statusCode, 201, 'a session cookie riding along needs no CSRF token: it is not what authorises');
  t.match(res.json().data, { status: 'uploaded', row_count: 2 });
  t.equal((await put(prepared.upload_url)).json().error.code, 'MOSAIC_ERR_IMPORT_NOT_FOUND', 'the URL works once');

  const uploaded = await imports('get', prepared.id);
  t.same(uploaded.suggested_mapping, ['name', 'domain']);
  t.equal(await code(imports('start', prepared.id, { mapping: 'name' })), 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID');
  t.equal((await imports('start', prepared.id, { mapping: uploaded.suggested_mapping, upsert_on: 'domain', on_error: 'skip' })).status, 'running');
  let job;
  do job = await imports('get', prepared.id);
  while (job.status === 'running');
  t.match(job, { status: 'completed', created: 2, failed: 0 });
  const records = (await admin.get('/api/objects/company?order_by=name')).body.data;
  t.same(records.map((r: any) => [r.name, r.created_by.type, r.created_by.id]), [['Acme', 'member', member.actor.id], ['Globex', 'member', member.actor.id]], "written as the member, not the plugin");
  t.equal((await admin.get(`/api/imports/${prepared.id}`)).body.data.status, 'completed', 'the member sees it in the HTTP API too');
  t.equal((await imports('list', { object: 'company' }))[0].id, prepared.id);

  // A member whose role cannot create records gets nothing through the plugin either.
  await admin.post('/api/workspace/roles', { key: 'reader', name: 'Reader', permissions: { workspace: [], objects: { '*': { read: true, create: false, update: false, delete: false } }, fields: {} } });
  const reader = bridge(kernel, granted, owner.workspaceId, await memberOf(kernel, await inviteAndAccept(kernel.app, owner, 'reader')));
  t.equal(await code(reader('prepare', 'company')), 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await reader('objects')).find((o: any) => o.name === 'company').can_import, false);
  t.equal(await code(reader('get', prepared.id)), 'MOSAIC_ERR_IMPORT_NOT_FOUND', "and never another member's import");
});
