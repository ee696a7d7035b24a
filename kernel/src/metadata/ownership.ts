import { MosaicError } from '../errors/index.js';
import type { MetadataCaller } from './service.js';
import type { MetadataTx } from './transaction.js';

/** What anyone with the `metadata` capability may change on a plugin's object or field: how it reads. */
const PRESENTATION = new Set(['label', 'label_singular', 'label_plural', 'description', 'icon', 'label_field', 'position']);

/**
 * Refuses a change to an object or field an installed plugin owns, unless it is the plugin itself (its
 * install, upgrade and purge) or the change only touches presentation (labels, description, icon,
 * position). Plugins refer to their objects and fields by name and rely on their types and options, so
 * a rename, an options change or a delete would break the plugin's code. Once the plugin is
 * uninstalled (its data kept), its objects and fields are the workspace's to change or delete.
 *
 * `keys` are the properties the change sets; `undefined` means a delete.
 */
export async function assertNotPluginOwned(tx: MetadataTx, caller: MetadataCaller, owner: string | null, target: { kind: 'object' | 'field'; name: string }, keys?: readonly string[]): Promise<void> {
  if (!owner || owner === caller.pluginId) return;
  const touched = keys?.filter((k) => !PRESENTATION.has(k));
  if (touched && touched.length === 0) return;
  const installed = await tx.trx('plugin_installation').where({ workspace_id: caller.workspaceId, plugin_id: owner }).first('plugin_id');
  if (!installed) return;
  const action = touched ? `change its ${touched.join(', ')}` : 'delete it';
  throw new MosaicError('MOSAIC_ERR_METADATA_PLUGIN_OWNED', `The plugin "${owner}" owns the ${target.kind} "${target.name}": its labels, description and icon can change, but you cannot ${action} while the plugin is installed.`,
    (touched ?? [target.name]).map((path) => ({ path, message: `owned by the plugin "${owner}"` })));
}
