import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ObjectAccess, ObjectMeta, RolePermissions } from '../api/types.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import type { Role } from './admin-api.js';

/** Workspace capabilities in plain words, in the order the kernel lists them. */
export const CAPABILITIES: readonly { key: string; label: string }[] = [
  { key: 'metadata', label: 'Change the data model (objects and fields)' },
  { key: 'members', label: 'Invite, remove and change members' },
  { key: 'roles', label: 'Create and edit roles' },
  { key: 'api_keys', label: 'Create and revoke API keys' },
  { key: 'webhooks', label: 'Manage webhooks' },
  { key: 'events', label: 'Read the event log and replay failed deliveries' },
  { key: 'plugins', label: 'Install, configure and remove plugins' },
];

const OPERATIONS = ['read', 'create', 'update', 'delete'] as const;
const NONE: ObjectAccess = { read: false, create: false, update: false, delete: false };
const same = (a: ObjectAccess, b: ObjectAccess) => OPERATIONS.every((op) => a[op] === b[op]);
const full = (a: Partial<ObjectAccess> | undefined): ObjectAccess => ({ ...NONE, ...a });

/** What the editor hands back: a role name and its permissions (field rules kept as they were). */
export interface RoleDraft {
  readonly name: string;
  readonly permissions: RolePermissions;
}

/**
 * The editor of a custom role: its name, the workspace capabilities it holds, and record access as one
 * grid — a default row for every object, then one row per object, which only counts where it differs from
 * the default. Fires `save` (detail: {@link RoleDraft}) and `cancel`.
 */
export class RoleEditor extends LitElement {
  static override properties: PropertyDeclarations = {
    source: { attribute: false },
    objects: { attribute: false },
    busy: { type: Boolean },
    name: { state: true },
    workspace: { state: true },
    access: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { display: block; }
      form { display: grid; gap: 14px; }
      fieldset { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; margin: 0; display: grid; gap: 6px; }
      legend { font-weight: 600; padding: 0 4px; }
      .check { display: flex; align-items: center; gap: 8px; font-size: 13px; font-weight: 400; color: var(--text); }
      table { border-collapse: collapse; width: 100%; }
      th, td { padding: 4px 8px; border-bottom: 1px solid var(--border); text-align: center; }
      th:first-child, td:first-child { text-align: left; }
      th { font-size: 12px; font-weight: 500; color: var(--text-muted); }
      tr.default td { background: var(--bg-subtle); font-weight: 500; }
      .actions { display: flex; gap: 8px; }
    `,
  ];

  /** The role being edited, or null for a new one. */
  declare source: Role | null;
  declare objects: readonly ObjectMeta[];
  declare busy: boolean;
  declare name: string;
  declare workspace: string[];
  /** Record access by object; `*` is the default row. */
  declare access: Record<string, ObjectAccess>;

  constructor() {
    super();
    this.source = null;
    this.objects = [];
    this.busy = false;
    this.name = '';
    this.workspace = [];
    this.access = { '*': { read: true, create: false, update: false, delete: false } };
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('source')) return;
    const p = this.source?.permissions;
    this.name = this.source?.name ?? '';
    this.workspace = [...(p?.workspace ?? [])];
    const access: Record<string, ObjectAccess> = { '*': p ? full(p.objects['*']) : { read: true, create: false, update: false, delete: false } };
    for (const [object, a] of Object.entries(p?.objects ?? {})) access[object] = full(a);
    this.access = access;
  }

  /** Objects shown as rows: the workspace's, plus any the role names that are not installed (yet). */
  #objectRows(): { name: string; label: string }[] {
    const rows = this.objects.map((o) => ({ name: o.name, label: o.label_plural }));
    for (const name of Object.keys(this.access)) if (name !== '*' && !rows.some((r) => r.name === name)) rows.push({ name, label: name });
    return rows;
  }

  #set(object: string, op: (typeof OPERATIONS)[number], value: boolean): void {
    const current = this.access[object] ?? this.access['*']!;
    this.access = { ...this.access, [object]: { ...current, [op]: value } };
  }

  #permissions(): RolePermissions {
    const fallback = this.access['*']!;
    const objects: Record<string, ObjectAccess> = { '*': fallback };
    for (const [name, a] of Object.entries(this.access)) if (name !== '*' && !same(a, fallback)) objects[name] = a;
    return { workspace: CAPABILITIES.map((c) => c.key).filter((k) => this.workspace.includes(k)), objects, fields: this.source?.permissions.fields ?? {} };
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent<RoleDraft>('save', { detail: { name: this.name.trim(), permissions: this.#permissions() } }));
  }

  #row(name: string, label: string, isDefault: boolean) {
    const a = isDefault ? this.access['*']! : this.access[name] ?? this.access['*']!;
    return html`<tr class=${isDefault ? 'default' : ''} data-object=${name}>
      <td>${label}</td>
      ${OPERATIONS.map(
        (op) => html`<td><input type="checkbox" aria-label=${`${label}: ${op}`} .checked=${a[op]} @change=${(e: Event) => this.#set(name, op, (e.target as HTMLInputElement).checked)} /></td>`,
      )}
    </tr>`;
  }

  override render() {
    const fieldRules = Object.keys(this.source?.permissions.fields ?? {}).length;
    return html`<form @submit=${this.#submit}>
        <label>Role name<input name="name" required .value=${this.name} @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} /></label>
        <fieldset>
          <legend>Workspace</legend>
          ${CAPABILITIES.map(
            (c) => html`<label class="check"><input type="checkbox" .checked=${this.workspace.includes(c.key)}
              @change=${(e: Event) => (this.workspace = (e.target as HTMLInputElement).checked ? [...this.workspace, c.key] : this.workspace.filter((k) => k !== c.key))} />${c.label}</label>`,
          )}
        </fieldset>
        <fieldset>
          <legend>Records</legend>
          <table aria-label="Record access">
            <thead><tr><th>Object</th>${OPERATIONS.map((op) => html`<th>${op.charAt(0).toUpperCase() + op.slice(1)}</th>`)}</tr></thead>
            <tbody>
              ${this.#row('*', 'Every object (default)', true)}
              ${this.#objectRows().map((r) => this.#row(r.name, r.label, false))}
            </tbody>
          </table>
          ${fieldRules > 0 ? html`<p class="muted">This role's field restrictions on ${fieldRules} object(s) are kept as they are (edit them through the API).</p>` : nothing}
        </fieldset>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>${this.source ? 'Save role' : 'Create role'}</button>
          <button type="button" class="ghost" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>Cancel</button>
        </div>
    </form>`;
  }
}

define('mosaic-role-editor', RoleEditor);
