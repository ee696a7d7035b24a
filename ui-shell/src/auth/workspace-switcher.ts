import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import type { Realtime } from '../realtime/realtime.js';

/**
 * The workspace name at the top of the sidebar; a select to switch when the member has several.
 * A switch moves the session, and so every tab signed in with it: a tab whose socket the server
 * refuses after such a move reloads the session and follows, so it never shows one workspace while
 * its requests reach another.
 */
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
  /** This tab is switching: the refusal of its old socket is expected, not news from another tab. */
  #switching = false;
  #realtime: Realtime | undefined;
  #stopListening: (() => void) | undefined;

  async #switch(event: Event): Promise<void> {
    const id = (event.target as HTMLSelectElement).value;
    this.#switching = true;
    try {
      await this.shell.api.switchWorkspace(id);
      await this.shell.reloadSession();
      this.shell.navigate('/');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    } finally {
      this.#switching = false;
    }
  }

  /** The server refused this tab's socket: if the session moved to another workspace, follow it. */
  async #sessionMoved(): Promise<void> {
    if (this.#switching) return;
    try {
      const current = await this.shell.api.session();
      if (this.#switching || (current && current.workspace.id === this.shell.session.workspace.id)) return;
      await this.shell.reloadSession(); // signed out: the app shows sign-in
      if (!current) return;
      this.shell.navigate('/');
      this.shell.toast(`Switched to ${current.workspace.name} in another tab; this tab follows.`, 'info');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  override updated(): void {
    // A new Realtime comes with each session and workspace.
    if (this.shell.realtime === this.#realtime) return;
    this.#stopListening?.();
    this.#realtime = this.shell.realtime;
    this.#stopListening = this.#realtime.onAuthError(() => void this.#sessionMoved());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate(); // moved in the page: listen again (updated() does)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#realtime = undefined;
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
