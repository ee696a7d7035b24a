import { MosaicViewElement, defineView, html } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { Candidate, Candidates } from './server.js';

/** Fields a merge never offers to pick: the system's own, and the reverse sides of relations. */
const SKIPPED = new Set(['id', 'created_at', 'updated_at', 'deleted_at', 'created_by', 'position']);
const REASONS: Record<string, string> = { domain: 'same domain', email: 'same email', name: 'same name' };

/** A field value as one line of text, for choosing between records. */
function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') {
    const parts = Object.values(value as Record<string, unknown>).flat().filter((v) => v !== null && v !== undefined && v !== '');
    return parts.length > 0 ? parts.map(String).join(' ') : '—';
  }
  return String(value);
}

/**
 * The "Duplicates" tab of a company or person page (slot record.tab): the record's likely duplicates from
 * `GET /candidates/:object/:id`, each with why it matched, and a merge dialog in which the member picks,
 * field by field, whose value the surviving record keeps. The record shown is the survivor.
 */
export class DuplicatesRecordTab extends MosaicViewElement {
  static override properties: PropertyDeclarations = {
    ...MosaicViewElement.properties,
    found: { state: true },
    failure: { state: true },
    merging: { state: true },
    picks: { state: true },
    busy: { state: true },
  };

  declare found: Candidates | undefined;
  declare failure: string | undefined;
  /** The candidate being merged into this record, while the dialog is open. */
  declare merging: Candidate | undefined;
  /** Per field key: `'this'` keeps the survivor's value, `'other'` takes the duplicate's. */
  declare picks: Record<string, 'this' | 'other'>;
  declare busy: boolean;
  #recordId: string | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    const id = this.context?.record?.id;
    if (changed.has('context') && typeof id === 'string' && id !== this.#recordId) {
      this.#recordId = id;
      this.found = undefined;
      this.merging = undefined;
      void this.#load(id);
    }
  }

  get #object(): string {
    return this.context?.object?.name ?? '';
  }

  async #load(id: string): Promise<void> {
    this.failure = undefined;
    const res = await this.context!.api.route<Candidates>('GET', `/candidates/${this.#object}/${encodeURIComponent(id)}`);
    if (id !== this.#recordId) return; // another record is shown by now
    if (res.status !== 200) {
      this.failure = `Duplicates could not be looked up (${res.status}).`;
      return;
    }
    this.found = res.body;
  }

  /** The fields offered in the merge dialog: stored, non-system fields whose values differ. */
  #fields(other: Candidate) {
    const mine: Readonly<Record<string, unknown>> = this.found?.record ?? {};
    return (this.context?.object?.fields ?? []).filter(
      (f) => !SKIPPED.has(f.name) && f.type !== 'one_to_many' && JSON.stringify(mine[f.key] ?? null) !== JSON.stringify(other.record[f.key] ?? null),
    );
  }

  #open(candidate: Candidate): void {
    // By default an empty value of the survivor is filled from the duplicate; everything else is kept.
    const mine = this.found!.record;
    const picks: Record<string, 'this' | 'other'> = {};
    for (const f of this.#fields(candidate)) picks[f.key] = show(mine[f.key]) === '—' ? 'other' : 'this';
    this.picks = picks;
    this.merging = candidate;
  }

  async #merge(): Promise<void> {
    const other = this.merging!;
    const values: Record<string, unknown> = {};
    for (const [key, pick] of Object.entries(this.picks)) if (pick === 'other') values[key] = other.record[key] ?? null;
    this.busy = true;
    const res = await this.context!.api.route<{ error?: { message?: string } }>('POST', `/merge/${this.#object}`, { into: this.found!.record.id, from: [other.record.id], values });
    this.busy = false;
    if (res.status !== 200) {
      await this.context!.toast(res.body?.error?.message ?? `The merge failed (${res.status}).`, 'error');
      return;
    }
    await this.context!.toast(`Merged ${other.label} into this record.`, 'success');
    this.merging = undefined;
    await this.afterMerge();
  }

  /** After a merge: show the survivor again (its related records changed) and look again. */
  protected async afterMerge(): Promise<void> {
    await this.context!.navigate(`/objects/${this.#object}/${this.found!.record.id}`);
    void this.#load(this.#recordId!);
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    if (!this.found) return html`<p>Looking for duplicates…</p>`;
    if (this.merging) return this.#dialog(this.merging);
    if (this.found.data.length === 0) return html`<p>No likely duplicates.</p>`;
    return html`
      <ul class="duplicates">
        ${this.found.data.map((c) => html`<li>
          <a href="/objects/${this.#object}/${c.record.id}" @click=${(e: Event) => this.#go(e, c.record.id)}>${c.label}</a>
          <span> · ${c.reasons.map((r) => REASONS[r] ?? r).join(', ')}</span>
          <button @click=${() => this.#open(c)}>Merge…</button>
        </li>`)}
      </ul>
    `;
  }

  #dialog(other: Candidate) {
    const mine = this.found!.record;
    const fields = this.#fields(other);
    const pick = (key: string, value: 'this' | 'other') => (this.picks = { ...this.picks, [key]: value });
    return html`
      <section role="dialog" aria-label="Merge ${other.label} into this record">
        <h3>Merge ${other.label} into this record</h3>
        <p>${other.label} is deleted; everything linked to it moves here. Pick the value to keep for each field that differs.</p>
        ${fields.length === 0 ? html`<p>The two records hold the same values.</p>` : ''}
        <table>
          <thead><tr><th>Field</th><th>This record</th><th>${other.label}</th></tr></thead>
          <tbody>
            ${fields.map((f) => html`<tr>
              <th scope="row">${f.label}</th>
              <td><label><input type="radio" name=${f.key} .checked=${this.picks[f.key] === 'this'} @change=${() => pick(f.key, 'this')} /> ${show(mine[f.key])}</label></td>
              <td><label><input type="radio" name=${f.key} .checked=${this.picks[f.key] === 'other'} @change=${() => pick(f.key, 'other')} /> ${show(other.record[f.key])}</label></td>
            </tr>`)}
          </tbody>
        </table>
        <button ?disabled=${this.busy} @click=${() => void this.#merge()}>Merge</button>
        <button ?disabled=${this.busy} @click=${() => (this.merging = undefined)}>Cancel</button>
      </section>
    `;
  }

  #go(event: Event, id: string): void {
    event.preventDefault();
    void this.context?.navigate(`/objects/${this.#object}/${id}`);
  }
}

/**
 * The "Merge…" button of a company or person page (slot record.action): the same list and merge dialog,
 * in the dialog the shell opens; it closes once the merge is done.
 */
export class DuplicatesMergeAction extends DuplicatesRecordTab {
  protected override async afterMerge(): Promise<void> {
    await this.context!.close();
    await this.context!.navigate(`/objects/${this.context!.object?.name ?? ''}/${this.found!.record.id}`);
  }
}

defineView('duplicates-record-tab', DuplicatesRecordTab);
defineView('duplicates-merge-action', DuplicatesMergeAction);
