import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import './plugin-view.js';

/**
 * A page-sized view of a plugin: a `nav.page` (`/plugins/:id/:element`) or a `settings.page`
 * (`/settings/plugin/:id/:element`), mounted by `<mosaic-plugin-view>`, which contains a broken view:
 * the page says which plugin failed and the shell keeps working.
 */
export class PluginPage extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, pluginId: {}, element: {}, slotName: {} };
  static override styles = [base, css`:host { display: block; padding: 20px; } .failed { padding: 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }`];

  declare shell: ShellContext;
  declare pluginId: string;
  declare element: string;
  /** `nav.page` (the default) or `settings.page`. */
  declare slotName: string;

  constructor() {
    super();
    this.slotName = 'nav.page';
  }

  override render() {
    const plugin = this.shell.plugins.find((p) => p.id === this.pluginId && p.enabled);
    const view = plugin?.views.find((v) => v.slot === this.slotName && v.element === this.element);
    if (!plugin || !view || !plugin.views_url) {
      return html`<p class="failed" role="alert">No page “${this.element}” of plugin “${this.pluginId}” is enabled here.</p>`;
    }
    return html`<mosaic-plugin-view .shell=${this.shell} .plugin=${plugin} .element=${view.element} .slotName=${this.slotName}></mosaic-plugin-view>`;
  }
}

define('mosaic-plugin-page', PluginPage);
