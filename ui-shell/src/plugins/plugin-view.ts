import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { PluginInfo } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { mountView, refreshView, type ViewElement } from './mount-view.js';
import type { ViewAbout } from './view-context.js';

/** What a slot shows when a plugin's view fails: "<Plugin name> failed: <reason>". */
export function failureText(plugin: Pick<PluginInfo, 'name'>, reason: string): string {
  return `${plugin.name} failed: ${reason}`;
}

/**
 * One plugin view in one slot, contained: it mounts the view (see {@link mountView}) and, if the bundle
 * does not load (in time), the element is not defined in time or it throws, shows
 * `<Plugin name> failed: reason` in its place — or, when `fallback` is set (field renderers), the shell's
 * own rendering with the failure in a tooltip — so the rest of the page keeps working. A changed record
 * reaches the view as a new context. `data-state` says where the mount is: `loading`, `mounted` or
 * `failed` (for styling and tests; a `mounted` view may still be fetching its own data).
 */
export class PluginView extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    plugin: { attribute: false },
    element: {},
    slotName: { attribute: false },
    about: { attribute: false },
    fallback: { attribute: false },
    failure: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { display: block; min-width: 0; }
      :host([inline]) { display: inline; }
      .failed { padding: 10px 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }
    `,
  ];

  declare shell: ShellContext;
  declare plugin: PluginInfo;
  declare element: string;
  /** The slot the view is mounted in (`record.tab`, …). */
  declare slotName: string;
  declare about: ViewAbout;
  /** Shown instead of the failure message when the view fails (a field's default rendering). */
  declare fallback: TemplateResult | typeof nothing | undefined;
  declare failure: string | null;
  #view: ViewElement | undefined;
  #mounting = 0;

  constructor() {
    super();
    this.about = {};
    this.failure = null;
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('plugin') || changed.has('element') || changed.has('slotName')) void this.#mount();
    else if (changed.has('about') && this.#view) refreshView(this.#view, this.shell, this.plugin, this.slotName, this.about);
  }

  async #mount(): Promise<void> {
    const attempt = ++this.#mounting;
    const host = this.renderRoot.querySelector('.mount');
    if (!host || !this.plugin) return;
    this.failure = null;
    this.#view = undefined;
    this.dataset.state = 'loading';
    host.replaceChildren();
    try {
      const view = await mountView(host, this.shell, this.plugin, this.element, this.slotName, this.about);
      if (attempt !== this.#mounting) return;
      this.#view = view;
      this.dataset.state = 'mounted';
    } catch (err) {
      if (attempt !== this.#mounting) return;
      host.replaceChildren();
      this.dataset.state = 'failed';
      this.failure = failureText(this.plugin, (err as Error).message);
      this.dispatchEvent(new CustomEvent('view-failed', { detail: { message: this.failure } }));
    }
  }

  override render() {
    if (this.failure && this.fallback !== undefined) {
      return html`<span class="fallback" title=${this.failure} data-failed="true">${this.fallback}</span><div class="mount" hidden></div>`;
    }
    return html`${this.failure ? html`<p class="failed" role="alert">${this.failure}</p>` : nothing}<div class="mount"></div>`;
  }
}

define('mosaic-plugin-view', PluginView);
