import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { viewsIn } from '../plugins/slots.js';
import '../plugins/plugin-view.js';

/** Whether the workspace has a home dashboard: any enabled plugin contributes a `dashboard.widget`. */
export function hasDashboard(shell: ShellContext): boolean {
  return viewsIn(shell, 'dashboard.widget').length > 0;
}

/**
 * The home dashboard (`/`): a card per `dashboard.widget` view of the enabled plugins, each contained on
 * its own — a widget that fails says so in its card and the others keep working.
 */
export class DashboardPage extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false } };
  static override styles = [
    base,
    css`
      :host { display: block; padding: 20px 24px 40px; }
      h1 { font-size: 18px; margin: 0 0 14px; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }
      section { border: 1px solid var(--border); border-radius: var(--radius); background: var(--bg); min-width: 0; }
      section h2 { font-size: 13px; margin: 0; padding: 10px 14px; border-bottom: 1px solid var(--border); }
      section .body { padding: 12px 14px; }
    `,
  ];

  declare shell: ShellContext;

  override render() {
    const widgets = viewsIn(this.shell, 'dashboard.widget');
    return html`<h1>Home</h1>
      <div class="grid">
        ${widgets.map(
          ({ plugin, view }) => html`<section aria-label=${view.label} data-plugin=${plugin.id}>
            <h2>${view.label}</h2>
            <div class="body"><mosaic-plugin-view .shell=${this.shell} .plugin=${plugin} .element=${view.element} .slotName=${'dashboard.widget'}></mosaic-plugin-view></div>
          </section>`,
        )}
      </div>`;
  }
}

define('mosaic-dashboard', DashboardPage);
