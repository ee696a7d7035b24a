import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';

/** The workspace name at the top of the sidebar; a select to switch when the member has several. */
export class WorkspaceSwitcher extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false } };
  static override styles = [
    base,
    css`
      :host { display: flex; align-items: center; gap: 8px; padding: 4px 6px; font-weight: 600; }
      .logo { width: 22px; height: 22px; flex: none; border-radius: 6px; display: grid; place-items: center; color: white; font-size: 12px; background: linear-gradient(135deg, #6366f1, #a855f7); }
      select { flex: 1; border-color: transparent; background: transparent; font-weight: 600; padding: 0 4px; }
      span.name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    `,
  ];
  declare shell: ShellContext;

  async #switch(event: Event): Promise<void> {
    const id = (event.target as HTMLSelectElement).value;
    try {
      await this.shell.api.switchWorkspace(id);
      await this.shell.reloadSession();
      this.shell.navigate('/');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  override render() {
    const { workspace, workspaces } = this.shell.session;
    const initial = workspace.name.trim().charAt(0).toUpperCase() || 'M';
    return html`<span class="logo" aria-hidden="true">${initial}</span>
      ${workspaces.length > 1
        ? html`<select aria-label="Workspace" @change=${this.#switch}>
            ${workspaces.map((w) => html`<option value=${w.id} ?selected=${w.id === workspace.id}>${w.name}</option>`)}
          </select>`
        : html`<span class="name" title=${workspace.name}>${workspace.name}</span>`}`;
  }
}

define('mosaic-workspace-switcher', WorkspaceSwitcher);
