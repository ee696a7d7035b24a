import { readSettings } from '../state/index.js';
import { permissionError, type HostCapability, type HostContext } from './common.js';

/**
 * `ctx.host.settings`: `get()` returns the settings an admin saved for the plugin in this workspace,
 * with the defaults of the manifest's `settings` schema filled in. Needs `permissions.settings`.
 */
export function settingsCapability(context: HostContext): HostCapability {
  return {
    async get() {
      if (context.manifest.permissions?.settings !== true) throw permissionError(context, 'read its settings', 'its manifest must ask for "settings": true in permissions');
      return readSettings(context.services.db.knex, context.workspaceId, context.manifest);
    },
  };
}
