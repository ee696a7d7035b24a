import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { AdminApi, type Invite, type Member, type Role } from './admin-api.js';
import { refusal } from './pages.js';
import { settingsStyles } from './settings-styles.js';
import './secret-once.js';

/**
 * Settings → Members: the workspace's members with their role (changed in place), removal with a
 * confirmation, invites by email (the link to send is shown once) and pending invites. Needs `members`.
 */
export class MembersPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    members: { state: true },
    invites: { state: true },
    roles: { state: true },
    error: { state: true },
    inviteLink: { state: true },
    confirming: { state: true },
  };
  static override styles = [base, settingsStyles];

  declare shell: ShellContext;
  declare members: Member[] | null;
  declare invites: Invite[];
  declare roles: Role[];
  declare error: string | null;
  declare inviteLink: string | null;
  /** The member whose removal waits for a second click. */
  declare confirming: string | null;

  constructor() {
    super();
    this.members = null;
    this.invites = [];
    this.roles = [];
    this.error = null;
    this.inviteLink = null;
    this.confirming = null;
  }

  get #admin(): AdminApi {
    return new AdminApi(this.shell.api);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('shell') && this.shell.permissions.can('members') && this.members === null) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      const [members, invites, roles] = await Promise.all([this.#admin.members(), this.#admin.invites(), this.#admin.roles()]);
      this.members = members;
      this.invites = invites;
      this.roles = roles;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #act(action: () => Promise<unknown>, success: string): Promise<boolean> {
    try {
      await action();
      this.shell.toast(success, 'success');
      await this.#load();
      return true;
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
      await this.#load();
      return false;
    }
  }

  async #invite(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email')).trim();
    try {
      const invite = await this.#admin.invite(email, String(data.get('role')));
      this.inviteLink = new URL(invite.accept_path ?? '/', location.origin).href;
      form.reset();
      this.shell.toast(`Invite created for ${email}.`, 'success');
      await this.#load();
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  #roleOptions(selected: string) {
    return this.roles.map((r) => html`<option value=${r.key} ?selected=${r.key === selected}>${r.name}</option>`);
  }

  #memberRow(m: Member) {
    const me = m.id === this.shell.session.member.id;
    return html`<tr data-member=${m.email}>
      <td>${m.name}${me ? html` <span class="badge">you</span>` : nothing}</td>
      <td>${m.email}</td>
      <td>
        <select aria-label=${`Role of ${m.name}`} @change=${(e: Event) => this.#act(() => this.#admin.changeRole(m.id, (e.target as HTMLSelectElement).value), `${m.name}'s role changed.`)}>
          ${this.#roleOptions(m.role)}
        </select>
      </td>
      <td class="actions">
        ${this.confirming === m.id
          ? html`<button class="danger" @click=${() => this.#act(() => this.#admin.removeMember(m.id), `${m.name} removed.`).then(() => (this.confirming = null))}>Confirm removal</button>
              <button class="ghost" @click=${() => (this.confirming = null)}>Cancel</button>`
          : html`<button class="ghost" ?disabled=${me} @click=${() => (this.confirming = m.id)}>Remove</button>`}
      </td>
    </tr>`;
  }

  override render() {
    const refused = refusal(this.shell, 'members', 'Members');
    if (refused) return refused;
    return html`
      <h1>Members</h1>
      <p class="muted">People in ${this.shell.session.workspace.name} and what their role lets them do.</p>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <section>
        <h2>Invite someone</h2>
        <form class="inline" @submit=${this.#invite}>
          <label>Email<input name="email" type="email" required placeholder="grace@example.com" /></label>
          <label>Role<select name="role" aria-label="Role">${this.#roleOptions('member')}</select></label>
          <button class="primary" type="submit">Create invite</button>
        </form>
        ${this.inviteLink
          ? html`<mosaic-secret-once label="Invite link" .value=${this.inviteLink} note="Send this link to the person you invited. It works once, for 7 days, and will not be shown again." @dismiss=${() => (this.inviteLink = null)}></mosaic-secret-once>`
          : nothing}
        ${this.invites.length > 0
          ? html`<table aria-label="Pending invites">
              <thead><tr><th>Pending invite</th><th>Role</th><th>Expires</th><th></th></tr></thead>
              <tbody>${this.invites.map(
                (i) => html`<tr>
                  <td>${i.email}</td><td>${this.roles.find((r) => r.key === i.role)?.name ?? i.role}</td>
                  <td>${i.expires_at ? new Date(i.expires_at).toLocaleDateString() : ''}</td>
                  <td><button class="ghost" @click=${() => this.#act(() => this.#admin.revokeInvite(i.id), `Invite for ${i.email} revoked.`)}>Revoke</button></td>
                </tr>`,
              )}</tbody>
            </table>`
          : nothing}
      </section>
      <section>
        <h2>Members</h2>
        ${this.members === null
          ? html`<p class="empty" aria-busy="true">Loading…</p>`
          : html`<table aria-label="Members">
              <thead><tr><th>Name</th><th>Email</th><th>Role</th><th></th></tr></thead>
              <tbody>${this.members.map((m) => this.#memberRow(m))}</tbody>
            </table>`}
      </section>
    `;
  }
}

define('mosaic-members-page', MembersPage);
