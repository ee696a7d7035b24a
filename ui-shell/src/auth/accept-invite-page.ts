import { LitElement, html, type PropertyDeclarations } from 'lit';
import type { ApiClient } from '../api/client.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { authCard } from './auth-styles.js';

/** The invite token from the link `/accept-invite#token=…` (a fragment, so it never reaches server logs). */
function inviteToken(): string | null {
  return new URLSearchParams(location.hash.slice(1)).get('token');
}

/**
 * Redeems an invite link: someone new picks a name and a password, someone with an account enters their
 * password; either way they end up signed in to the inviting workspace and `signed-in` fires.
 */
export class AcceptInvitePage extends LitElement {
  static override properties: PropertyDeclarations = { api: { attribute: false }, error: { state: true }, busy: { state: true } };
  static override styles = [base, authCard];

  declare api: ApiClient;
  declare error: string | null;
  declare busy: boolean;
  readonly #token = inviteToken();

  constructor() {
    super();
    this.error = null;
    this.busy = false;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const name = String(data.get('name') ?? '').trim();
    this.busy = true;
    this.error = null;
    try {
      await this.api.request('POST', '/api/auth/invites/accept', { token: this.#token, password: String(data.get('password')), ...(name ? { name } : {}) });
      // The link's token is spent: drop it from the address bar and history.
      history.replaceState(null, '', '/');
      this.dispatchEvent(new CustomEvent('signed-in', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    if (!this.#token) {
      return html`<form aria-labelledby="title">
        <div class="brand"><span class="logo"></span>Mosaic CRM</div>
        <h1 id="title">This invite link is incomplete</h1>
        <p class="error-text" role="alert">Open the whole link from your invitation, or ask for a new one.</p>
        <p class="switch"><a href="/sign-in">Sign in</a></p>
      </form>`;
    }
    return html`<form @submit=${this.#submit} aria-labelledby="title">
      <div class="brand"><span class="logo"></span>Mosaic CRM</div>
      <h1 id="title">Join the workspace</h1>
      <p>New to Mosaic? Choose your name and a password. Already have an account? Leave the name empty and enter your password.</p>
      <label>Your name<input name="name" autocomplete="name" autofocus /></label>
      <label>Password<input name="password" type="password" autocomplete="current-password" minlength="10" required /></label>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : null}
      <button class="primary" type="submit" ?disabled=${this.busy}>Join</button>
    </form>`;
  }
}

define('mosaic-accept-invite', AcceptInvitePage);
