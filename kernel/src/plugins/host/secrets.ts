import { MosaicError } from '../../errors/index.js';
import { readSecret } from '../state/index.js';
import { bridgeError, permissionError, type HostCapability, type HostContext } from './common.js';

/**
 * `ctx.host.secrets`: `get(name)` returns a secret an admin saved for the plugin in this workspace, or
 * null when none was saved. Needs `permissions.secrets`, and `name` must be listed in the manifest's
 * `secrets`, so the consent screen names every secret the plugin can read.
 */
export function secretsCapability(context: HostContext): HostCapability {
  const { manifest } = context;
  return {
    async get(name) {
      if (manifest.permissions?.secrets !== true) throw permissionError(context, 'read secrets', 'its manifest must ask for "secrets": true in permissions');
      if (typeof name !== 'string' || name.length === 0 || name.length > 128) throw bridgeError('secrets.get', 'the name must be a string of 1 to 128 characters');
      if (!(manifest.secrets ?? []).includes(name)) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_SECRET_UNKNOWN', `secrets.get: the manifest of "${manifest.id}" declares no secret "${name}"; add it to "secrets".`);
      }
      return readSecret(context.services.db.knex, context.services.secretBox, context.workspaceId, manifest.id, name);
    },
  };
}
