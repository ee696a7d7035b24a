import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import './data-model-create.js';
import './data-model-object.js';
import './data-model-object-list.js';
import { refusal } from './pages.js';
import { settingsStyles } from './settings-styles.js';

export { nameFromLabel } from './data-model-api.js';

/** The object named by the address (`/settings/data-model?object=deal`), if any. */
function selectedObject(): string | null {
  return new URLSearchParams(location.search).get('object');
}

/**
 * Settings → Data model: the objects with their owners, a form to create one, and each object's own
 * page (`?object=<name>`) to manage its fields and labels. Needs the `metadata` capability.
 *
 * The shell's router keys pages by path, so the `?object=` part is this page's own: it re-reads the
 * address after a click inside it (the app moves the history after the click's listeners ran) and on
 * back/forward.
 */
export class DataModelPage extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false } };
  static override styles = [base, settingsStyles, css`:host { max-width: 960px; }`];

  declare shell: ShellContext;
  readonly #sync = () => this.requestUpdate();
  readonly #afterClick = () => setTimeout(this.#sync, 0);

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('popstate', this.#sync);
    this.addEventListener('click', this.#afterClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.#sync);
    this.removeEventListener('click', this.#afterClick);
  }

  #close(): void {
    this.shell.navigate('/settings/data-model');
    this.requestUpdate();
  }

  override render() {
    const refused = refusal(this.shell, 'metadata', 'Data model');
    if (refused) return refused;
    const name = selectedObject();
    if (name !== null) {
      const object = this.shell.objects.find((o) => o.name === name);
      if (object) return html`<mosaic-data-model-object .shell=${this.shell} .object=${object} @closed=${() => this.#close()}></mosaic-data-model-object>`;
      return html`<h1>Data model</h1><p class="empty" role="alert">No object named “${name}” here (any more). <a href="/settings/data-model">All objects</a></p>`;
    }
    return html`
      <h1>Data model</h1>
      <p class="muted">Objects are what your workspace tracks. Each one is a real table; its fields are columns. Open one to manage its fields.</p>
      <section aria-labelledby="objects-heading">
        <h2 id="objects-heading">Objects</h2>
        <mosaic-data-model-object-list .shell=${this.shell} @open=${this.#afterClick}></mosaic-data-model-object-list>
      </section>
      <section aria-labelledby="new-heading">
        <h2 id="new-heading">New object</h2>
        <mosaic-data-model-create .shell=${this.shell}></mosaic-data-model-create>
      </section>
    `;
  }
}

define('mosaic-data-model', DataModelPage);
