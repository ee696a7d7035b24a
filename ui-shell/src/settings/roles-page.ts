import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { RolePermissions } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { AdminApi, type Role } from './admin-api.js';
import { nameFromLabel } from './data-model-page.js';
import { refusal } from './pages.js';
import type { RoleDraft } from './role-editor.js';
import { settingsStyles } from './settings-styles.js';
import './role-editor.js';

/** A role's record access in a few words: "Read, create, update on every object; none on Payroll". */
function accessSummary(p: RolePermissions, label: (object: string) => string): string {
  const words = (a: RolePermissions['objects'][string] | undefined) => {
    const ops = (['read', 'create', 'update', 'delete'] as const).filter((op) => a?.[op]);
    return ops.length === 0 ? 'no access' : ops.length === 4 ? 'full access' : ops.join(', ');
  };
  const parts = [`${words(p.objects['*'])} to every object`];
  for (const [object, a] of Object.entries(p.objects)) if (object !== '*') parts.push(`${words(a)} to ${label(object)}`);
  return parts.join('; ');
}

/**
 * Settings → Roles: built-in and custom roles with what they allow, and the {@link RoleEditor} to create a
 * custom role or edit one. Built-in roles are fixed (the API refuses changes). Needs `roles`.
 */
export class RolesPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    roles: { state: true },
    editing: { state: true },
    busy: { state: true },
    error: { state: true },
    confirming: { state: true },
  };
  static override styles = [base, settingsStyles];

  declare shell: ShellContext;
  declare roles: Role[] | null;
  /** `new`, the key of the role being edited, or null. */
  declare editing: string | null;
  declare busy: boolean;
  declare error: string | null;
  /** The role whose deletion waits for a second click. */
  declare confirming: string | null;

  constructor() {
    super();
    this.roles = null;
    this.editing = null;
    this.busy = false;
    this.error = null;
    this.confirming = null;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('shell') && this.shell.permissions.can('roles') && this.roles === null) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.roles = await new AdminApi(this.shell.api).roles();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #save(draft: RoleDraft): Promise<void> {
    const admin = new AdminApi(this.shell.api);
    this.busy = true;
    this.error = null;
    try {
      if (this.editing === 'new') await admin.createRole({ key: nameFromLabel(draft.name), name: draft.name, permissions: draft.permissions });
      else await admin.updateRole(this.editing!, { name: draft.name, permissions: draft.permissions });
      this.shell.toast(`Role “${draft.name}” saved.`, 'success');
      this.editing = null;
      await this.#load();
      // The member's own role may have changed; the session carries its permissions.
      await this.shell.reloadSession();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  async #delete(role: Role): Promise<void> {
    this.confirming = null;
    try {
      await new AdminApi(this.shell.api).deleteRole(role.key);
      this.shell.toast(`Role “${role.name}” deleted.`, 'success');
      await this.#load();
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  #label = (object: string) => this.shell.objects.find((o) => o.name === object)?.label_plural ?? object;

  override render() {
    const refused = refusal(this.shell, 'roles', 'Roles');
    if (refused) return refused;
    const editing = this.editing && this.editing !== 'new' ? this.roles?.find((r) => r.key === this.editing) ?? null : null;
    return html`
      <h1>Roles</h1>
      <p class="muted">A role says what its members and API keys may do. Owner, Admin, Member and Viewer are built in; create your own for anything else.</p>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${this.editing
        ? html`<section>
            <h2>${editing ? `Edit ${editing.name}` : 'New role'}</h2>
            <mosaic-role-editor .source=${editing} .objects=${this.shell.objects} ?busy=${this.busy}
              @save=${(e: CustomEvent<RoleDraft>) => this.#save(e.detail)} @cancel=${() => (this.editing = null)}></mosaic-role-editor>
          </section>`
        : html`<div class="actions"><button class="primary" @click=${() => (this.editing = 'new')}>+ New role</button></div>`}
      <section>
        ${this.roles === null
          ? html`<p class="empty" aria-busy="true">Loading…</p>`
          : html`<table aria-label="Roles">
              <thead><tr><th>Role</th><th>Workspace</th><th>Records</th><th></th></tr></thead>
              <tbody>${this.roles.map(
                (r) => html`<tr data-role=${r.key}>
                  <td>${r.name} ${r.built_in ? html`<span class="badge">built in</span>` : nothing}</td>
                  <td>${r.permissions.workspace.length === 0 ? html`<span class="muted">nothing</span>` : r.permissions.workspace.join(', ')}</td>
                  <td>${accessSummary(r.permissions, this.#label)}</td>
                  <td class="actions">${r.built_in
                    ? nothing
                    : this.confirming === r.key
                      ? html`<button class="danger" @click=${() => this.#delete(r)}>Confirm delete</button><button class="ghost" @click=${() => (this.confirming = null)}>Cancel</button>`
                      : html`<button class="ghost" @click=${() => (this.editing = r.key)}>Edit</button><button class="ghost" @click=${() => (this.confirming = r.key)}>Delete</button>`}</td>
                </tr>`,
              )}</tbody>
            </table>`}
      </section>
    `;
  }
}

define('mosaic-roles-page', RolesPage);
