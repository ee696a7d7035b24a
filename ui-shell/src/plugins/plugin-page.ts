import { LitElement, css, html, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { mountView } from './mount-view.js';

/**
 * A `nav.page` view of a plugin, mounted by {@link mountView}. A bundle that fails to load or an element that
 * throws is contained: the page says which plugin failed and the shell keeps working.
 */
export class PluginPage extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, pluginId: {}, element: {}, failure: { state: true } };
  static override styles = [base, css`:host { display: block; padding: 20px; } .failed { padding: 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }`];

  declare shell: ShellContext;
  declare pluginId: string;
  declare element: string;
  declare failure: string | null;

  constructor() {
    super();
    this.failure = null;
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('pluginId') || changed.has('element')) void this.#mount();
  }

  async #mount(): Promise<void> {
    const host = this.renderRoot.querySelector('.mount');
    if (!host) return;
    host.replaceChildren();
    this.failure = null;
    const plugin = this.shell.plugins.find((p) => p.id === this.pluginId);
    const view = plugin?.views.find((v) => v.slot === 'nav.page' && v.element === this.element);
    if (!plugin || !view || !plugin.views_url) {
      this.failure = `No page “${this.element}” of plugin “${this.pluginId}” is enabled here.`;
      return;
    }
    try {
      await mountView(host, this.shell, plugin, view.element, 'nav.page');
    } catch (err) {
      this.failure = `The plugin “${plugin.name}” failed to show this page: ${(err as Error).message}`;
    }
  }

  override render() {
    return html`${this.failure ? html`<p class="failed" role="alert">${this.failure}</p>` : null}<div class="mount"></div>`;
  }
}

define('mosaic-plugin-page', PluginPage);
