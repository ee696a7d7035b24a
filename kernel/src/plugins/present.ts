import { ANY_OBJECT, RECORD_OPERATIONS, describePermissions, type ManifestView } from '@mosaic/plugin-sdk';
import type { Access } from '../roles/index.js';
import { pluginAccess } from './host/records.js';
import type { SandboxPool } from './sandboxes.js';
import type { PluginInstallation } from './store.js';

/** The path the UI shell loads a plugin's view bundle from; the revision makes it cacheable forever. */
export function viewsUrl(installation: PluginInstallation): string | null {
  return installation.manifest.ui === undefined ? null : `/plugin-assets/${installation.pluginId}/${installation.revision}/views.js`;
}

/**
 * The objects of the workspace the member asking may read. With it, views and record access naming
 * `"*"` (every object) are listed object by object, so the UI shell mounts a `record.tab` on `"*"`
 * like one on a named object; without it (an answer that is not about one member's pages), `"*"` is
 * passed through as is.
 */
export interface PresentScope {
  readonly readable: readonly string[];
}

/** What every member may know of an enabled plugin: enough for the UI shell to mount its views. */
export function presentPublic(installation: PluginInstallation, scope?: PresentScope) {
  const { manifest } = installation;
  const present = (v: ManifestView, object: string | null) => ({ slot: v.slot, element: v.element, label: v.label, object, field: v.field ?? null, field_type: v.field_type ?? null, icon: v.icon ?? null });
  const plugin = pluginAccess(manifest);
  return {
    id: installation.pluginId,
    name: manifest.name,
    version: installation.version,
    description: manifest.description ?? null,
    enabled: installation.enabled,
    views: (manifest.views ?? []).flatMap((v) => (v.object === ANY_OBJECT && scope ? readableByBoth(installation, scope, plugin).map((object) => present(v, object)) : [present(v, v.object ?? null)])),
    views_url: viewsUrl(installation),
    // What the plugin's views may do with records: the shell's view API refuses the rest.
    records: viewRecordAccess(installation, plugin, scope),
  };
}

/**
 * Where a view on `"*"` appears: the objects of the scope the plugin may read too, except the plugin's
 * own objects (an Activities tab on a task's page would attach tasks to tasks); a plugin that wants a view
 * on an object of its own names that object.
 */
function readableByBoth(installation: PluginInstallation, scope: PresentScope, plugin: Access): string[] {
  const own = new Set((installation.manifest.objects ?? []).map((o) => o.name));
  return scope.readable.filter((object) => !own.has(object) && plugin.object(object, 'read'));
}

/**
 * Record operations the plugin holds, per object: its grant plus everything on the objects it owns.
 * A `"*"` grant stays listed, and with a scope it is also spelled out on each object the member reads.
 */
function viewRecordAccess(installation: PluginInstallation, plugin: Access, scope?: PresentScope): Record<string, readonly string[]> {
  const access: Record<string, readonly string[]> = { ...(installation.manifest.permissions?.records ?? {}) };
  if (scope && access[ANY_OBJECT]) {
    for (const object of scope.readable) access[object] = RECORD_OPERATIONS.filter((op) => plugin.object(object, op));
  }
  for (const object of installation.manifest.objects ?? []) access[object.name] = ['read', 'create', 'update', 'delete'];
  return access;
}

/** The admin's view of an installation: grants in plain words, contributions, health, what waits. */
export function presentInstallation(installation: PluginInstallation, sandboxes: SandboxPool, scope?: PresentScope) {
  const { manifest } = installation;
  const pending = installation.pending;
  return {
    ...presentPublic(installation, scope),
    publisher: manifest.publisher ?? null,
    source: installation.source,
    folder: installation.folder,
    revision: installation.revision,
    installed_at: installation.installedAt.toISOString(),
    updated_at: installation.updatedAt.toISOString(),
    dependencies: manifest.dependencies ?? {},
    permissions: describePermissions(manifest),
    granted: installation.granted,
    objects: (manifest.objects ?? []).map((o) => o.name),
    fields: (manifest.fields ?? []).map((f) => `${f.object}.${f.field.name}`),
    routes: (manifest.routes ?? []).map((r) => ({ method: r.method, path: `/api/plugins/${installation.pluginId}${r.path}`, description: r.description ?? null })),
    events: (manifest.events ?? []).map((e) => ({ type: e.type, objects: e.objects ?? null, handler: e.handler })),
    jobs: (manifest.jobs ?? []).map((j) => ({ name: j.name, cron: j.cron, description: j.description ?? null })),
    settings_schema: manifest.settings ?? null,
    secrets: manifest.secrets ?? [],
    pending: pending
      ? { version: pending.version, folder: pending.folder, requested_at: pending.requested_at, permissions: describePermissions(pending.manifest), requested: pending.manifest.permissions ?? {} }
      : null,
    error: installation.error,
    health: sandboxes.status(installation.pluginId, installation.revision),
  };
}
