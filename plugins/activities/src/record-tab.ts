import { MosaicViewElement, css, html, type ViewMember } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import { LiveReload } from './live.js';
import { renderMarkdown } from './markdown.js';
import type { Note, RecordActivities, Task } from './server.js';

const STATUS_LABELS: Record<string, string> = { todo: 'To do', in_progress: 'In progress', done: 'Done' };

/**
 * The "Activities" tab on the record page of every object (slot record.tab, object "*"): the record's tasks
 * (open ones first, by due date; a checkbox completes one, overdue ones are marked) and notes (Markdown,
 * rendered without any HTML string: see `markdown.ts`) from `GET /for/:object/:id`, with forms to add
 * them and buttons to delete them. A task shows its assignee, picked from the member directory
 * (`permissions.members`), and can be given to someone else from the list. The tab is live: a note or
 * task about this record added, changed or deleted anywhere (another member, another tab) shows at once.
 */
export class ActivitiesRecordTab extends MosaicViewElement {
  static override properties: PropertyDeclarations = { ...MosaicViewElement.properties, activities: { state: true }, failure: { state: true }, members: { state: true } };
  // A stylesheet, not style attributes: the shell's Content-Security-Policy refuses inline styles.
  static override styles = css`
    ul.items { list-style: none; padding: 0; margin: 0 0 8px; }
    ul.items > li { display: flex; gap: 8px; align-items: flex-start; padding: 6px 0; border-bottom: 1px solid var(--mosaic-border, #e5e7eb); }
    .grow { flex: 1; min-width: 0; }
    .done strong { text-decoration: line-through; color: var(--mosaic-muted, #6b7280); }
    .overdue { color: var(--mosaic-danger, #b91c1c); }
    .meta { color: var(--mosaic-muted, #6b7280); font-size: 0.85em; }
    .note p, .note ul, .note ol, .note pre, .note blockquote { margin: 4px 0; }
    .note pre { white-space: pre-wrap; }
    .note blockquote { border-left: 3px solid var(--mosaic-border, #e5e7eb); padding-left: 8px; }
    button.remove { background: none; border: none; cursor: pointer; color: var(--mosaic-muted, #6b7280); }
  `;

  // `declare`: Lit owns these accessors; a class field would shadow them.
  declare activities: RecordActivities | undefined;
  declare failure: string | undefined;
  /** The member directory; empty when it cannot be read (then tasks show no assignee picker). */
  declare members: ViewMember[] | undefined;
  #key: string | undefined;
  // A note or task changed somewhere: reload if it is (or was) about this record.
  readonly #live = new LiveReload(this, ['note', 'task'], (change) => this.#key !== undefined && (!change.record || change.record.target_id === this.#key.split('/')[1]), () => void this.#load());

  override willUpdate(changed: PropertyValues<this>): void {
    const object = this.context?.object?.name;
    const id = this.context?.record?.id;
    if (changed.has('context') && object && typeof id === 'string' && `${object}/${id}` !== this.#key) {
      this.#key = `${object}/${id}`;
      this.activities = undefined;
      void this.#load();
    }
    if (changed.has('context') && this.context && this.members === undefined) {
      this.members = [];
      void this.context.api.members().then(
        (members) => (this.members = members),
        () => undefined,
      );
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

  /** Completes a task, or opens it again; the list shows the change at once and rolls back on refusal. */
  async #toggle(task: Task, done: boolean): Promise<void> {
    const res = await this.context!.api.route<{ error?: { message: string } }>('PATCH', `/tasks/${task.id}`, { status: done ? 'done' : 'todo' });
    if (res.status !== 200) await this.context!.toast(res.body?.error?.message ?? `Could not change the task (${res.status}).`, 'error');
    await this.#load();
  }

  /** Gives a task to another member, or to nobody. */
  async #assign(task: Task, assignee: string): Promise<void> {
    const res = await this.context!.api.route<{ error?: { message: string } }>('PATCH', `/tasks/${task.id}`, { assignee_id: assignee || null });
    if (res.status !== 200) await this.context!.toast(res.body?.error?.message ?? `Could not change the assignee (${res.status}).`, 'error');
    await this.#load();
  }

  async #remove(kind: 'notes' | 'tasks', id: string, what: string): Promise<void> {
    const res = await this.context!.api.route<{ error?: { message: string } }>('DELETE', `/${kind}/${id}`);
    if (res.status === 204) await this.context!.toast(`${what} deleted.`);
    else await this.context!.toast(res.body?.error?.message ?? `Could not delete (${res.status}).`, 'error');
    await this.#load();
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    const activities = this.activities;
    if (!activities) return html`<p>Loading…</p>`;
    return html`
      <section>
        <h3>Tasks</h3>
        ${activities.tasks.length === 0 ? html`<p>No tasks yet.</p>` : html`<ul class="items">${ordered(activities.tasks).map((t) => this.#task(t))}</ul>`}
        <form @submit=${(e: SubmitEvent) => void this.#add(e, 'tasks')}>
          <input name="title" placeholder="New task" required />
          <input name="due_date" type="date" aria-label="Due date" />
          ${this.members?.length ? html`<select name="assignee_id" aria-label="Assignee">${this.#memberOptions(null)}</select>` : ''}
          <button>Add task</button>
        </form>
      </section>
      <section>
        <h3>Notes</h3>
        ${activities.notes.length === 0 ? html`<p>No notes yet.</p>` : html`<ul class="items">${activities.notes.map((n: Note) => html`<li>
          <div class="grow note">
            <strong>${n.title}</strong> <span class="meta">${new Date(n.created_at).toLocaleString()}</span>
            ${renderMarkdown(n.body ?? '')}
          </div>
          <button class="remove" aria-label="Delete note ${n.title ?? ''}" title="Delete note" @click=${() => void this.#remove('notes', n.id, 'Note')}>✕</button>
        </li>`)}</ul>`}
        <form @submit=${(e: SubmitEvent) => void this.#add(e, 'notes')}>
          <textarea name="body" placeholder="Write a note (Markdown)" required></textarea>
          <button>Add note</button>
        </form>
      </section>
    `;
  }

  #task(t: Task) {
    const done = t.status === 'done';
    const overdue = !done && t.due_date !== null && t.due_date < today();
    return html`<li class=${done ? 'done' : ''}>
      <input type="checkbox" .checked=${done} aria-label="Done: ${t.title}" @change=${(e: Event) => void this.#toggle(t, (e.target as HTMLInputElement).checked)} />
      <div class="grow">
        <strong>${t.title}</strong>
        <div class="meta">${STATUS_LABELS[t.status] ?? t.status}${t.due_date ? html` · <span class=${overdue ? 'overdue' : ''}>${overdue ? 'overdue, was due' : 'due'} ${t.due_date}</span>` : ''}${t.assignee_id ? html` · <span class="assignee">${this.#memberName(t.assignee_id)}</span>` : ''}</div>
        ${t.body ? html`<div class="note">${renderMarkdown(t.body)}</div>` : ''}
      </div>
      ${this.members?.length ? html`<select aria-label="Assignee of ${t.title}" @change=${(e: Event) => void this.#assign(t, (e.target as HTMLSelectElement).value)}>${this.#memberOptions(t.assignee_id)}</select>` : ''}
      <button class="remove" aria-label="Delete task ${t.title}" title="Delete task" @click=${() => void this.#remove('tasks', t.id, 'Task')}>✕</button>
    </li>`;
  }

  /** A member's name; one no longer in the workspace is a former member, as elsewhere in the shell. */
  #memberName(id: string): string {
    return this.members?.find((m) => m.id === id)?.name ?? 'Former member';
  }

  #memberOptions(selected: string | null) {
    return html`<option value="" ?selected=${!selected}>Unassigned</option>${this.members!.map((m) => html`<option value=${m.id} ?selected=${m.id === selected}>${m.name}</option>`)}`;
  }
}

/** `YYYY-MM-DD` today, in UTC like the due-today list. */
const today = () => new Date().toISOString().slice(0, 10);

/** Open tasks first, soonest due first (undated last), then done ones, newest first as the API sends them. */
function ordered(tasks: readonly Task[]): Task[] {
  const open = tasks.filter((t) => t.status !== 'done').sort((a, b) => (a.due_date ?? '9999').localeCompare(b.due_date ?? '9999'));
  return [...open, ...tasks.filter((t) => t.status === 'done')];
}
