import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { AdminApi, type Delivery, type Webhook } from './admin-api.js';
import { refusal } from './pages.js';
import { settingsStyles } from './settings-styles.js';
import './secret-once.js';

/** Comma- or space-separated words, without empties or repeats. */
const words = (text: string) => [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];

/**
 * Settings → Webhooks: each webhook with its filters, creating one (URL, event types, objects; the
 * signing secret is shown once), switching it on or off, a test ping, its delivery history and deletion
 * with a confirmation. Needs `webhooks`.
 */
export class WebhooksPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    hooks: { state: true },
    created: { state: true },
    open: { state: true },
    deliveries: { state: true },
    confirming: { state: true },
    error: { state: true },
    formError: { state: true },
  };
  static override styles = [
    base,
    settingsStyles,
    css`
      fieldset { border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
      legend { font-size: 12px; color: var(--text-muted); font-weight: 500; }
      .check { display: flex; align-items: center; gap: 6px; font-size: 13px; font-weight: 400; color: var(--text); }
      form.stack { display: grid; gap: 10px; }
      .url { word-break: break-all; }
      .history td { font-size: 12px; }
    `,
  ];

  declare shell: ShellContext;
  declare hooks: Webhook[] | null;
  declare created: Webhook | null;
  /** The webhook whose delivery history is open. */
  declare open: string | null;
  declare deliveries: Delivery[] | null;
  declare confirming: string | null;
  declare error: string | null;
  declare formError: string | null;

  constructor() {
    super();
    this.hooks = null;
    this.created = null;
    this.open = null;
    this.deliveries = null;
    this.confirming = null;
    this.error = null;
    this.formError = null;
  }

  get #admin(): AdminApi {
    return new AdminApi(this.shell.api);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('shell') && this.shell.permissions.can('webhooks') && this.hooks === null) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.hooks = await this.#admin.webhooks();
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const description = String(data.get('description') ?? '').trim();
    this.formError = null;
    try {
      this.created = await this.#admin.createWebhook({
        url: String(data.get('url')).trim(),
        ...(description ? { description } : {}),
        event_types: words(String(data.get('event_types') ?? '')),
        objects: data.getAll('objects').map(String),
      });
      form.reset();
      await this.#load();
    } catch (err) {
      this.formError = (err as Error).message;
    }
  }

  async #act(action: () => Promise<unknown>, success: string): Promise<void> {
    try {
      await action();
      this.shell.toast(success, 'success');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
    await this.#load();
    if (this.open) await this.#history(this.open);
  }

  async #history(id: string): Promise<void> {
    this.open = id;
    this.deliveries = null;
    try {
      this.deliveries = await this.#admin.deliveries(id);
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  async #test(hook: Webhook): Promise<void> {
    try {
      const result = await this.#admin.testWebhook(hook.id);
      this.shell.toast(result.delivered ? `Test delivered (${result.status_code}).` : `Test failed: ${result.error ?? `status ${result.status_code}`}`, result.delivered ? 'success' : 'error');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
    await this.#history(hook.id);
  }

  #historyTable() {
    if (this.deliveries === null) return html`<p class="empty" aria-busy="true">Loading…</p>`;
    if (this.deliveries.length === 0) return html`<p class="empty">No deliveries yet.</p>`;
    return html`<table class="history" aria-label="Delivery history">
      <thead><tr><th>When</th><th>Event</th><th>Attempt</th><th>Status</th><th>Time</th><th>Error</th></tr></thead>
      <tbody>${this.deliveries.map(
        (d) => html`<tr>
          <td>${new Date(d.created_at).toLocaleString()}</td><td>${d.event_type}</td><td>${d.attempt}</td>
          <td><span class="badge ${d.status_code !== null && d.status_code < 300 ? 'on' : 'bad'}">${d.status_code ?? 'no answer'}</span></td>
          <td>${d.latency_ms === null ? '' : `${d.latency_ms} ms`}</td><td>${d.error ?? ''}</td>
        </tr>`,
      )}</tbody>
    </table>`;
  }

  #hook(h: Webhook) {
    const filters = `${h.event_types.length ? h.event_types.join(', ') : 'all events'} · ${h.objects.length ? h.objects.join(', ') : 'all objects'}`;
    return html`<section data-webhook=${h.url}>
      <div class="actions">
        <strong class="url">${h.url}</strong>
        <span class="badge ${h.enabled ? 'on' : ''}">${h.enabled ? 'on' : 'off'}</span>
      </div>
      ${h.description ? html`<p class="muted">${h.description}</p>` : nothing}
      <p class="muted">Receives ${filters}</p>
      <div class="actions">
        <button @click=${() => this.#act(() => this.#admin.updateWebhook(h.id, { enabled: !h.enabled }), h.enabled ? 'Webhook switched off.' : 'Webhook switched on.')}>${h.enabled ? 'Switch off' : 'Switch on'}</button>
        <button @click=${() => this.#test(h)}>Send test</button>
        <button @click=${() => (this.open === h.id ? (this.open = null) : this.#history(h.id))} aria-expanded=${this.open === h.id ? 'true' : 'false'}>Deliveries</button>
        ${this.confirming === h.id
          ? html`<button class="danger" @click=${() => ((this.confirming = null), this.#act(() => this.#admin.deleteWebhook(h.id), 'Webhook deleted.'))}>Confirm delete</button>
              <button class="ghost" @click=${() => (this.confirming = null)}>Cancel</button>`
          : html`<button class="ghost" @click=${() => (this.confirming = h.id)}>Delete</button>`}
      </div>
      ${this.open === h.id ? this.#historyTable() : nothing}
    </section>`;
  }

  override render() {
    const refused = refusal(this.shell, 'webhooks', 'Webhooks');
    if (refused) return refused;
    return html`
      <h1>Webhooks</h1>
      <p class="muted">Mosaic POSTs the events you choose to your URL, signed with the webhook's secret (see the API docs to verify it).</p>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <section>
        <h2>New webhook</h2>
        <form class="stack" @submit=${this.#create}>
          <label>Endpoint URL<input name="url" type="url" required placeholder="https://example.com/mosaic-hook" /></label>
          <label>Description (optional)<input name="description" maxlength="500" /></label>
          <label>Event types (empty for all)<input name="event_types" placeholder="record.created, record.updated" /></label>
          <fieldset>
            <legend>Objects (none checked: all)</legend>
            ${this.shell.objects.map((o) => html`<label class="check"><input type="checkbox" name="objects" value=${o.name} />${o.label_plural}</label>`)}
          </fieldset>
          ${this.formError ? html`<p class="error-text" role="alert">${this.formError}</p>` : nothing}
          <div class="actions"><button class="primary" type="submit">Create webhook</button></div>
        </form>
        ${this.created?.secret
          ? html`<mosaic-secret-once label="Signing secret" .value=${this.created.secret} note="Your receiver needs this secret to check signatures. Copy it now: it will not be shown again." @dismiss=${() => (this.created = null)}></mosaic-secret-once>`
          : nothing}
      </section>
      ${this.hooks === null
        ? html`<p class="empty" aria-busy="true">Loading…</p>`
        : this.hooks.length === 0
          ? html`<section><p class="empty">No webhooks yet.</p></section>`
          : this.hooks.map((h) => this.#hook(h))}
    `;
  }
}

define('mosaic-webhooks-page', WebhooksPage);
