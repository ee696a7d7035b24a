import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';

/** What a new workspace shows: what to do next, depending on whether the member may change the model. */
export class EmptyWorkspace extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false } };
  static override styles = [
    base,
    css`
      :host { display: grid; place-items: center; height: 100%; padding: 24px; }
      .card { max-width: 440px; text-align: center; display: grid; gap: 12px; justify-items: center; }
      h1 { font-size: 20px; margin: 0; }
      ol { text-align: left; color: var(--text-muted); margin: 0; padding-left: 20px; display: grid; gap: 4px; }
      .art { width: 56px; height: 56px; border-radius: 14px; background: linear-gradient(135deg, #e0e7ff, #f5d0fe); }
    `,
  ];
  declare shell: ShellContext;

  override render() {
    const admin = this.shell.permissions.can('metadata');
    return html`<div class="card">
      <div class="art" aria-hidden="true"></div>
      <h1>Welcome to ${this.shell.session.workspace.name}</h1>
      ${admin
        ? html`<p class="muted">Your workspace has no objects yet. Objects are what you track: companies, deals, tickets — anything.</p>
            <ol>
              <li>Create an object in <strong>Settings → Data model</strong>, with the fields you need.</li>
              <li>Add records to it from its table, or import them through the API.</li>
              <li>Invite your team and install plugins for more.</li>
            </ol>
            <button class="primary" @click=${() => this.shell.navigate('/settings/data-model')}>Create your first object</button>`
        : html`<p class="muted">There is nothing you can see here yet. Ask an administrator of this workspace to create objects or give your role access.</p>`}
    </div>`;
  }
}

define('mosaic-empty-workspace', EmptyWorkspace);
