import { describePermissions, diffPermissions, type PluginManifest, type PluginPermissions } from '@mosaic/plugin-sdk';
import { MosaicError } from '../errors/index.js';

/**
 * What the admin grants: the permissions object they consented to, or `requested` — whatever the version
 * being installed asks for (how `plugins.config.json` trusts a plugin, and what an admin sends after
 * reading the consent screen of exactly that version).
 */
export type Grant = PluginPermissions | 'requested';

/** The permissions a grant amounts to for a manifest. */
export function grantedFor(manifest: PluginManifest, grant: Grant | undefined, previous?: PluginPermissions): PluginPermissions | undefined {
  if (grant === 'requested') return manifest.permissions ?? {};
  return grant ?? previous;
}

/** True when `granted` covers everything the manifest asks for. */
export function covers(granted: PluginPermissions | undefined, manifest: PluginManifest): boolean {
  return !diffPermissions({ permissions: granted ?? {}, objects: manifest.objects, events: manifest.events }, { ...manifest, permissions: manifest.permissions ?? {} }).grows;
}

/**
 * The refusal that asks the admin to consent: the message names the plugin and version; the details list
 * every permission asked for in plain words (`added`: only what grows beyond the current grant).
 */
export function consentRequired(manifest: PluginManifest, granted: PluginPermissions | undefined): MosaicError {
  const diff = diffPermissions({ permissions: granted ?? {}, objects: manifest.objects, events: manifest.events }, manifest);
  const all = describePermissions(manifest);
  return new MosaicError(
    'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED',
    `${manifest.name} ${manifest.version} asks for permissions that have not been granted: ${diff.sentences.join(' ')} Send them as "grant" to consent.`,
    [
      ...diff.sentences.map((sentence) => ({ path: 'grant', message: sentence, code: 'added' })),
      ...all.map((sentence) => ({ path: 'permissions', message: sentence, code: 'requested' })),
    ],
  );
}
