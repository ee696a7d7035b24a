import { MosaicViewElement, css, html } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { Note, RecordActivities, Task } from './server.js';

const STATUS_LABELS: Record<string, string> = { todo: 'To do', in_progress: 'In progress', done: 'Done' };

/**
 * The "Activities" tab on company, person and opportunity pages (slot record.tab): the record's tasks
 * and notes from `GET /for/:object/:id`, and two small forms that add one. Note bodies are Markdown and
 * are shown as their source text: rendering Markdown safely needs a sanitiser the view bundle does not
 * carry yet.
 */
export class ActivitiesRecordTab extends MosaicViewElement {
  static override properties: PropertyDeclarations = { ...MosaicViewElement.properties, activities: { state: true }, failure: { state: true } };
  // A stylesheet, not style attributes: the shell's Content-Security-Policy refuses inline styles.
  static override styles = css`
    pre { white-space: pre-wrap; font: inherit; margin: 4px 0 0; }
  `;

  // `declare`: Lit owns these accessors; a class field would shadow them.
  declare activities: RecordActivities | undefined;
  declare failure: string | undefined;
  #key: string | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    const object = this.context?.object?.name;
    const id = this.context?.record?.id;
    if (changed.has('context') && object && typeof id === 'string' && `${object}/${id}` !== this.#key) {
      this.#key = `${object}/${id}`;
      this.activities = undefined;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const key = this.#key!;
    this.failure = undefined;
    const res = await this.context!.api.route<RecordActivities>('GET', `/for/${key.split('/').map(encodeURIComponent).join('/')}`);
    if (key !== this.#key) return; // another record is shown by now
    if (res.status === 200) this.activities = res.body;
    else this.failure = `The activities could not be loaded (${res.status}).`;
  }

  async #add(event: SubmitEvent, kind: 'notes' | 'tasks'): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const [target_object, target_id] = this.#key!.split('/');
    const fields: Record<string, string> = {};
    new FormData(form).forEach((value, name) => {
      if (typeof value === 'string' && value !== '') fields[name] = value;
    });
    const res = await this.context!.api.route<{ error?: { message: string } }>('POST', `/${kind}`, { ...fields, target_object, target_id });
    if (res.status === 201) {
      form.reset();
      await this.#load();
    } else {
      await this.context!.toast(res.body?.error?.message ?? `Could not save (${res.status}).`, 'error');
    }
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    const activities = this.activities;
    if (!activities) return html`<p>Loading…</p>`;
    return html`
      <section>
        <h3>Tasks</h3>
        ${activities.tasks.length === 0 ? html`<p>No tasks yet.</p>` : html`<ul>${activities.tasks.map((t: Task) => html`<li>
          <strong>${t.title}</strong> · ${STATUS_LABELS[t.status] ?? t.status}${t.due_date ? html` · due ${t.due_date}` : ''}
        </li>`)}</ul>`}
        <form @submit=${(e: SubmitEvent) => void this.#add(e, 'tasks')}>
          <input name="title" placeholder="New task" required />
          <input name="due_date" type="date" aria-label="Due date" />
          <button>Add task</button>
        </form>
      </section>
      <section>
        <h3>Notes</h3>
        ${activities.notes.length === 0 ? html`<p>No notes yet.</p>` : html`<ul>${activities.notes.map((n: Note) => html`<li>
          <strong>${n.title}</strong> <small>${new Date(n.created_at).toLocaleString()}</small>
          <pre>${n.body}</pre>
        </li>`)}</ul>`}
        <form @submit=${(e: SubmitEvent) => void this.#add(e, 'notes')}>
          <textarea name="body" placeholder="Write a note (Markdown)" required></textarea>
          <button>Add note</button>
        </form>
      </section>
    `;
  }
}
