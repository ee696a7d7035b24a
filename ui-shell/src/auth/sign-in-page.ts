import { LitElement, html, type PropertyDeclarations } from 'lit';
import type { ApiClient } from '../api/client.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { authCard } from './auth-styles.js';

/** Sign in with email and password; fires `signed-in` once the session exists. */
export class SignInPage extends LitElement {
  static override properties: PropertyDeclarations = { api: { attribute: false }, error: { state: true }, busy: { state: true } };
  static override styles = [base, authCard];

  declare api: ApiClient;
  declare error: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.error = null;
    this.busy = false;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = null;
    try {
      await this.api.signIn({ email: String(data.get('email')), password: String(data.get('password')) });
      this.dispatchEvent(new CustomEvent('signed-in', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form @submit=${this.#submit} aria-labelledby="title">
      <div class="brand"><span class="logo"></span>Mosaic CRM</div>
      <h1 id="title">Sign in</h1>
      <label>Email<input name="email" type="email" autocomplete="email" required autofocus /></label>
      <label>Password<input name="password" type="password" autocomplete="current-password" required /></label>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : null}
      <button class="primary" type="submit" ?disabled=${this.busy}>Sign in</button>
      <p class="switch">New here? <a href="/sign-up">Create a workspace</a></p>
    </form>`;
  }
}

define('mosaic-sign-in', SignInPage);
