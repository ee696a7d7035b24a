import { describePermissions } from '@mosaic/plugin-sdk';
import type { SandboxPool } from './sandboxes.js';
import type { PluginInstallation } from './store.js';

/** The path the UI shell loads a plugin's view bundle from; the revision makes it cacheable forever. */
export function viewsUrl(installation: PluginInstallation): string | null {
  return installation.manifest.ui === undefined ? null : `/plugin-assets/${installation.pluginId}/${installation.revision}/views.js`;
}

/** What every member may know of an enabled plugin: enough for the UI shell to mount its views. */
export function presentPublic(installation: PluginInstallation) {
  const { manifest } = installation;
  return {
    id: installation.pluginId,
    name: manifest.name,
    version: installation.version,
    description: manifest.description ?? null,
    enabled: installation.enabled,
    views: (manifest.views ?? []).map((v) => ({ slot: v.slot, element: v.element, label: v.label, object: v.object ?? null, field: v.field ?? null, field_type: v.field_type ?? null, icon: v.icon ?? null })),
    views_url: viewsUrl(installation),
    // What the plugin's views may do with records: the shell's view API refuses the rest.
    records: viewRecordAccess(installation),
  };
}

/** Record operations the plugin holds, per object: its grant plus everything on the objects it owns. */
function viewRecordAccess(installation: PluginInstallation): Record<string, readonly string[]> {
  const access: Record<string, readonly string[]> = { ...(installation.manifest.permissions?.records ?? {}) };
  for (const object of installation.manifest.objects ?? []) access[object.name] = ['read', 'create', 'update', 'delete'];
  return access;
}

/** The admin's view of an installation: grants in plain words, contributions, health, what waits. */
export function presentInstallation(installation: PluginInstallation, sandboxes: SandboxPool) {
  const { manifest } = installation;
  const pending = installation.pending;
  return {
    ...presentPublic(installation),
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
