import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth, type AuthContext } from '../auth/index.js';
import type { ObjectAccess, RolePermissions } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import type { DeletedMode } from '../records/find.js';
import { pageJson } from '../records/page.js';
import { deletedParam, depthParam, fieldsParam, listQuery, objectParams, recordParams, splitFields, type ListQuery } from '../records/routes.js';
import { RecordService } from '../records/service.js';
import { Access, type RecordOperation } from '../roles/index.js';
import { pluginAccess } from './host/records.js';

/**
 * The access a plugin view acts with: what the member's role allows AND what the enabled plugin was
 * granted, object by object. Field restrictions stay the member's (the plugin's grant has none) and no
 * workspace capability survives. The role key stays the member's, so the records layer's "your role
 * cannot…" messages remain true: the plugin's side is checked first by {@link assertGranted}.
 */
export function viewAccess(member: Access, plugin: Access): Access {
  const objects: Record<string, ObjectAccess> = {};
  // Every object either side names, and `*` (any other object) for both: an object one side names and
  // the other covers by `*` must not fall through to the intersection's `*`, which may say more.
  const names = new Set([...Object.keys(plugin.permissions.objects), ...Object.keys(member.permissions.objects), '*']);
  for (const object of names) {
    const both = (op: RecordOperation) => member.object(object, op) && plugin.object(object, op);
    objects[object] = { read: both('read'), create: both('create'), update: both('update'), delete: both('delete') };
  }
  const permissions: RolePermissions = { workspace: [], objects, fields: member.permissions.fields };
  return new Access(member.roleKey, permissions);
}

/**
 * Refuses an operation the plugin was not granted with `MOSAIC_ERR_PLUGIN_PERMISSION`, but only when the
 * member may read the object: to a member who cannot, the object does not exist, whoever asks.
 */
function assertGranted(auth: AuthContext, plugin: Access, pluginId: string, object: string, operation: RecordOperation): void {
  if (plugin.object(object, operation) || !auth.access.object(object, 'read')) return;
  throw new MosaicError('MOSAIC_ERR_PLUGIN_PERMISSION', `The plugin "${pluginId}" was not granted ${operation} on ${object} records, so its views cannot ${operation} them.`);
}

/** The `:pluginId` path parameter of the plugin-view routes. */
export const pluginParam = { pluginId: { type: 'string', minLength: 1, maxLength: 100 } } as const;

/** The plugin's installation in the workspace, refused with a coded 404 when it is missing or disabled. */
export async function enabledInstallation(services: ModuleOptions['services'], workspaceId: string, pluginId: string) {
  const installation = await services.plugins.installation(workspaceId, pluginId);
  if (!installation) throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${pluginId}" is installed in this workspace.`);
  if (!installation.enabled) throw new MosaicError('MOSAIC_ERR_PLUGIN_DISABLED', `The plugin "${pluginId}" is disabled in this workspace.`);
  return installation;
}

/**
 * `/api/plugin-views/:pluginId/objects/:object[/:id]`: the records API as a plugin's views see it in
 * the UI shell — list, read, create, update — with the member's role intersected with the plugin's
 * `records` grant. Everything else (validation, field permissions, events) is the {@link RecordService}'s.
 */
export async function pluginViewRecordRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const records = new RecordService(services);

  /** The caller for one request: the member's workspace and actor, the intersected access. */
  async function caller(auth: AuthContext, pluginId: string, object: string, operation: RecordOperation) {
    const installation = await enabledInstallation(services, auth.workspaceId, pluginId);
    const plugin = pluginAccess(installation.manifest);
    assertGranted(auth, plugin, pluginId, object, operation);
    return { workspaceId: auth.workspaceId, actor: auth.actor, access: viewAccess(auth.access, plugin) };
  }

  const listParams = { ...objectParams, required: ['pluginId', 'object'], properties: { ...objectParams.properties, ...pluginParam } } as const;
  const oneParams = { ...recordParams, required: ['pluginId', 'object', 'id'], properties: { ...recordParams.properties, ...pluginParam } } as const;
  type Params = { pluginId: string; object: string };

  app.get<{ Params: Params; Querystring: ListQuery }>('/api/plugin-views/:pluginId/objects/:object', { schema: { params: listParams, querystring: listQuery } }, async (request) => {
    const { pluginId, object } = request.params;
    const q = request.query;
    const result = await records.find(await caller(requireAuth(request), pluginId, object, 'read'), object, {
      filter: q.filter,
      orderBy: q.order_by,
      limit: q.limit,
      startingAfter: q.starting_after,
      endingBefore: q.ending_before,
      fields: splitFields(q.fields),
      depth: q.depth,
      count: q.count,
      deleted: q.deleted,
    });
    return pageJson(result);
  });

  app.post<{ Params: Params }>('/api/plugin-views/:pluginId/objects/:object', { schema: { params: listParams } }, async (request, reply) => {
    const { pluginId, object } = request.params;
    const data = await records.create(await caller(requireAuth(request), pluginId, object, 'create'), object, request.body ?? {});
    return reply.status(201).send({ data });
  });

  app.get<{ Params: Params & { id: string }; Querystring: { fields?: string; depth: number; deleted: DeletedMode } }>(
    '/api/plugin-views/:pluginId/objects/:object/:id',
    { schema: { params: oneParams, querystring: { type: 'object', additionalProperties: false, properties: { fields: fieldsParam, depth: depthParam, deleted: deletedParam } } } },
    async (request) => {
      const { pluginId, object, id } = request.params;
      const { fields, depth, deleted } = request.query;
      const data = await records.get(await caller(requireAuth(request), pluginId, object, 'read'), object, id, { fields: splitFields(fields), depth, deleted });
      return { data };
    },
  );

  app.patch<{ Params: Params & { id: string } }>('/api/plugin-views/:pluginId/objects/:object/:id', { schema: { params: oneParams } }, async (request) => {
    const { pluginId, object, id } = request.params;
    const data = await records.update(await caller(requireAuth(request), pluginId, object, 'update'), object, id, request.body ?? {});
    return { data };
  });
}
