import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ObjectMeta } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from '../nav/icons.js';
import { ownerLabel, pluginLock } from './data-model-api.js';
import { lockIcon } from './data-model-lock.js';
import { settingsStyles } from './settings-styles.js';

/** The address of an object's page in Settings → Data model. */
export function objectSettingsPath(object: string): string {
  return `/settings/data-model?object=${encodeURIComponent(object)}`;
}

/**
 * The workspace's objects: each links to its own settings, with its fields at a glance and who owns it
 * (the workspace or a plugin, locked with the reason). Fires `open` with `{object}` when one is followed.
 */
export class DataModelObjectList extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false } };
  static override styles = [
    base,
    settingsStyles,
    css`
      :host { display: block; padding: 0; max-width: none; }
      .obj { display: inline-flex; align-items: center; gap: 8px; font-weight: 500; }
      .icon { width: 20px; height: 20px; border-radius: 5px; display: grid; place-items: center; color: white; font-size: 11px; }
      .c0 { background: #6366f1; } .c1 { background: #0ea5e9; } .c2 { background: #f59e0b; } .c3 { background: #10b981; }
      .c4 { background: #ec4899; } .c5 { background: #8b5cf6; } .c6 { background: #ef4444; } .c7 { background: #14b8a6; }
      .fields { color: var(--text-muted); }
    `,
  ];

  declare shell: ShellContext;

  #open(o: ObjectMeta): void {
    this.dispatchEvent(new CustomEvent('open', { detail: { object: o.name } }));
  }

  override render() {
    const objects = this.shell.objects;
    if (objects.length === 0) return html`<p class="empty">None yet. Create your first object below.</p>`;
    return html`<table aria-label="Objects">
      <thead><tr><th>Object</th><th>Fields</th><th>Owner</th></tr></thead>
      <tbody>
        ${objects.map((o) => {
          const custom = o.fields.filter((f) => !f.is_system);
          const lock = pluginLock(o.plugin_id, this.shell.plugins);
          return html`<tr data-object=${o.name}>
            <td><a class="obj" href=${objectSettingsPath(o.name)} @click=${() => this.#open(o)}>${objectIcon(o)} ${o.label_plural}</a></td>
            <td class="fields">${custom.length} · ${custom.slice(0, 4).map((f) => f.label).join(', ')}${custom.length > 4 ? '…' : ''}</td>
            <td><span class=${`badge${o.plugin_id ? ' warn' : ''}`} title=${lock ?? ''}>${lock ? lockIcon() : ''} ${ownerLabel(o.plugin_id, this.shell.plugins)}</span></td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }
}

define('mosaic-data-model-object-list', DataModelObjectList);
