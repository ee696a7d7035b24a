import { MosaicViewElement, html } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import { LiveReload } from './live.js';
import type { DueToday } from './server.js';

/**
 * The dashboard's "Tasks due today" tile (slot dashboard.widget): tasks not done whose due date is today
 * (UTC), from `GET /tasks/due-today`; a task opens the record it is attached to, and its checkbox
 * completes it (it then leaves the list). Live: a task added, changed or completed anywhere updates it.
 */
export class ActivitiesDueTodayWidget extends MosaicViewElement {
  static override properties: PropertyDeclarations = { ...MosaicViewElement.properties, due: { state: true }, failure: { state: true } };

  // `declare`: Lit owns these accessors; a class field would shadow them.
  declare due: DueToday | undefined;
  declare failure: string | undefined;
  #requested = false;
  readonly #live = new LiveReload(this, ['task'], () => true, () => void this.#load());

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('context') && this.context && !this.#requested) {
      this.#requested = true;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const res = await this.context!.api.route<DueToday>('GET', '/tasks/due-today');
    if (res.status === 200) this.due = res.body;
    else this.failure = `The tasks due today could not be loaded (${res.status}).`;
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    const due = this.due;
    if (!due) return html`<p>Loading…</p>`;
    if (due.data.length === 0) return html`<p>Nothing due today.</p>`;
    return html`
      <ul>
        ${due.data.map((t) => html`<li>
          <input type="checkbox" aria-label="Done: ${t.title}" @change=${() => void this.#complete(t.id)} />
          <a href="/objects/${t.target_object}/${t.target_id}" @click=${(e: Event) => this.#open(e, `/objects/${t.target_object}/${t.target_id}`)}>${t.title}</a>
          ${t.status === 'in_progress' ? html` · in progress` : ''}
        </li>`)}
      </ul>
      ${due.has_more ? html`<p>More tasks are due today than shown.</p>` : ''}
    `;
  }

  async #complete(id: string): Promise<void> {
    const res = await this.context!.api.route<{ error?: { message: string } }>('PATCH', `/tasks/${id}`, { status: 'done' });
    if (res.status !== 200) await this.context!.toast(res.body?.error?.message ?? `Could not complete the task (${res.status}).`, 'error');
    await this.#load();
  }

  #open(event: Event, path: string): void {
    event.preventDefault();
    void this.context?.navigate(path);
  }
}
