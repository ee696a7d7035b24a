import { LitElement, html, type PropertyDeclarations } from 'lit';
import type { ApiClient } from '../api/client.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { authCard } from './auth-styles.js';

/** Creates an account and its first workspace; fires `signed-in` once the session exists. */
export class SignUpPage extends LitElement {
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
      await this.api.signUp({
        name: String(data.get('name')),
        email: String(data.get('email')),
        password: String(data.get('password')),
        workspace_name: String(data.get('workspace')),
      });
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
      <h1 id="title">Create your workspace</h1>
      <label>Your name<input name="name" autocomplete="name" required autofocus /></label>
      <label>Work email<input name="email" type="email" autocomplete="email" required /></label>
      <label>Password<input name="password" type="password" autocomplete="new-password" minlength="10" required /></label>
      <label>Workspace name<input name="workspace" required placeholder="Acme Inc." /></label>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : null}
      <button class="primary" type="submit" ?disabled=${this.busy}>Create workspace</button>
      <p class="switch">Already have an account? <a href="/sign-in">Sign in</a></p>
    </form>`;
  }
}

define('mosaic-sign-up', SignUpPage);
