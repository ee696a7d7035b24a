import { MosaicViewElement, css, defineView, html, nothing } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations } from 'lit';
import type { ExportUrl, ImportInfo, ImportObject, ObjectsAnswer, PreparedImport } from './server.js';

type Step = 'choose' | 'uploading' | 'mapping' | 'running' | 'done';

/** Polling interval of a running import's progress. */
const PROGRESS_MS = 500;

/**
 * The "Import & export" page (slot nav.page). Export: pick an object, its columns, filter and order,
 * and download the CSV (streamed by the kernel, no row cap). Import: pick an object and a file; the file
 * goes straight from the browser to the kernel's one-time upload URL; then the mapping step (suggested
 * per column), the choice between all-or-nothing and skip-and-report, live progress and the per-row report.
 */
export class ImportExportPage extends MosaicViewElement {
  static override properties: PropertyDeclarations = {
    ...MosaicViewElement.properties,
    objects: { state: true },
    object: { state: true },
    columns: { state: true },
    filter: { state: true },
    orderBy: { state: true },
    step: { state: true },
    job: { state: true },
    mapping: { state: true },
    upsertOn: { state: true },
    onError: { state: true },
    failure: { state: true },
  };

  static override styles = css`
    :host { display: block; padding: 16px; font: inherit; }
    section { border: 1px solid #ddd; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; }
    h2 { font-size: 1.1em; margin: 0 0 8px; }
    label { display: inline-flex; gap: 6px; align-items: center; margin: 4px 12px 4px 0; }
    table { border-collapse: collapse; margin: 8px 0; }
    td, th { border-bottom: 1px solid #eee; padding: 4px 8px; text-align: left; vertical-align: top; }
    progress { width: 100%; }
    .error { color: #b00020; }
    .hint { color: #666; font-size: 0.9em; }
  `;

  declare objects: ImportObject[] | undefined;
  declare object: string;
  declare columns: string[];
  declare filter: string;
  declare orderBy: string;
  declare step: Step;
  declare job: ImportInfo | undefined;
  declare mapping: (string | null)[];
  declare upsertOn: string;
  declare onError: 'abort' | 'skip';
  declare failure: string | undefined;
  #loaded = false;

  constructor() {
    super();
    this.object = '';
    this.columns = [];
    this.filter = '';
    this.orderBy = '';
    this.step = 'choose';
    this.mapping = [];
    this.upsertOn = '';
    this.onError = 'abort';
  }

  override willUpdate(): void {
    if (this.context && !this.#loaded) {
      this.#loaded = true;
      void this.#loadObjects();
    }
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await this.context!.api.route<T & { error?: { message: string } }>(method, path, body);
    if (res.status >= 300) throw new Error(res.body?.error?.message ?? `The request failed (${res.status}).`);
    return res.body;
  }

  async #loadObjects(): Promise<void> {
    try {
      this.objects = (await this.#call<ObjectsAnswer>('GET', '/objects')).data;
      if (this.objects[0]) this.#pick(this.objects[0].name);
    } catch (error) {
      this.failure = (error as Error).message;
    }
  }

  #pick(name: string): void {
    this.object = name;
    const object = this.objects?.find((o) => o.name === name);
    this.columns = object ? object.fields.map((f) => f.name) : [];
  }

  get #current(): ImportObject | undefined {
    return this.objects?.find((o) => o.name === this.object);
  }

  async #download(): Promise<void> {
    const query = new URLSearchParams({ object: this.object, fields: this.columns.join(','), filter: this.filter, order_by: this.orderBy });
    try {
      const link = await this.#call<ExportUrl>('GET', `/export-url?${query.toString()}`);
      // A plain same-origin link: the browser streams the download with the member's session.
      const a = document.createElement('a');
      a.href = link.url;
      a.download = link.filename_hint;
      a.click();
    } catch (error) {
      this.failure = (error as Error).message;
    }
  }

  async #upload(file: File): Promise<void> {
    this.failure = undefined;
    this.step = 'uploading';
    try {
      const prepared = await this.#call<PreparedImport>('POST', '/imports', { object: this.object, file_name: file.name });
      if (file.size > prepared.max_bytes) throw new Error(`The file is larger than ${Math.round(prepared.max_bytes / 1048576)} MB, the most an import takes.`);
      const res = await fetch(prepared.upload_url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: file });
      const answer = (await res.json()) as { error?: { message: string } };
      if (!res.ok) throw new Error(answer.error?.message ?? `The upload failed (${res.status}).`);
      this.job = await this.#call<ImportInfo>('GET', `/imports/${prepared.id}`);
      this.mapping = [...(this.job.suggested_mapping ?? this.job.headers.map(() => null))];
      this.upsertOn = '';
      this.step = 'mapping';
    } catch (error) {
      this.failure = (error as Error).message;
      this.step = 'choose';
    }
  }

  async #start(): Promise<void> {
    const job = this.job!;
    try {
      this.job = await this.#call<ImportInfo>('POST', `/imports/${job.id}/start`, { mapping: this.mapping, upsert_on: this.upsertOn || null, on_error: this.onError });
      this.step = 'running';
      while (this.job.status === 'running') {
        await new Promise((done) => setTimeout(done, PROGRESS_MS));
        this.job = await this.#call<ImportInfo>('GET', `/imports/${job.id}`);
      }
      this.step = 'done';
    } catch (error) {
      this.failure = (error as Error).message;
    }
  }

  #reportCsv(): string {
    const cell = (v: unknown) => `"${String(v ?? '').replaceAll('"', '""')}"`;
    return ['row,column,field,reason', ...(this.job?.errors ?? []).map((e) => [e.row, e.column, e.field, e.reason].map(cell).join(','))].join('\r\n');
  }

  override render() {
    if (!this.objects) return this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : html`<p>Loading…</p>`;
    const current = this.#current;
    return html`
      <label>Object
        <select @change=${(e: Event) => this.#pick((e.target as HTMLSelectElement).value)}>
          ${this.objects.map((o) => html`<option value=${o.name} ?selected=${o.name === this.object}>${o.label_plural}</option>`)}
        </select>
      </label>
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
      ${current ? this.#renderExport(current) : nothing}
      ${current ? this.#renderImport(current) : nothing}
    `;
  }

  #renderExport(object: ImportObject) {
    const toggle = (name: string, on: boolean) => (this.columns = on ? object.fields.map((f) => f.name).filter((n) => n === name || this.columns.includes(n)) : this.columns.filter((n) => n !== name));
    return html`<section aria-label="Export">
      <h2>Export ${object.label_plural} to CSV</h2>
      <div>${object.fields.map((f) => html`<label><input type="checkbox" .checked=${this.columns.includes(f.name)} @change=${(e: Event) => toggle(f.name, (e.target as HTMLInputElement).checked)} />${f.label}</label>`)}</div>
      <label>Filter <input name="filter" placeholder='name[ilike]:"%acme%"' .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} /></label>
      <label>Order by <input name="order_by" placeholder="name" .value=${this.orderBy} @input=${(e: Event) => (this.orderBy = (e.target as HTMLInputElement).value)} /></label>
      <button @click=${() => this.#download()} ?disabled=${this.columns.length === 0}>Download CSV</button>
      <p class="hint">Every matching record, no row limit; only the fields your role may read.</p>
    </section>`;
  }

  #renderImport(object: ImportObject) {
    if (!object.can_import) return html`<section aria-label="Import"><h2>Import</h2><p>Your role cannot create ${object.label_plural}.</p></section>`;
    const job = this.job;
    return html`<section aria-label="Import">
      <h2>Import ${object.label_plural} from CSV</h2>
      ${this.step === 'choose' || this.step === 'uploading'
        ? html`<input type="file" accept=".csv,text/csv" ?disabled=${this.step === 'uploading'} @change=${(e: Event) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) void this.#upload(f); }} />
            <p class="hint">A UTF-8 CSV file with a header row (up to 100 MB).</p>`
        : nothing}
      ${this.step === 'mapping' && job ? this.#renderMapping(job) : nothing}
      ${(this.step === 'running' || this.step === 'done') && job ? this.#renderProgress(job) : nothing}
    </section>`;
  }

  #renderMapping(job: ImportInfo) {
    const targets = job.targets ?? [];
    const unique = targets.filter((t) => t.unique && this.mapping.includes(t.key));
    return html`
      <p>${job.row_count.toLocaleString()} rows in ${job.file_name ?? 'the file'}. Choose the field each column goes to.</p>
      ${job.failed > 0 ? html`<p class="error">${job.failed} rows do not have as many cells as the header; they will be reported and not imported.</p>` : nothing}
      <table>
        <tr><th>Column</th><th>First value</th><th>Field</th></tr>
        ${job.headers.map((header, i) => html`<tr>
          <td>${header}</td><td>${job.preview[0]?.[i] ?? ''}</td>
          <td><select aria-label=${`Field for ${header}`} @change=${(e: Event) => { const next = [...this.mapping]; next[i] = (e.target as HTMLSelectElement).value || null; this.mapping = next; }}>
            <option value="" ?selected=${!this.mapping[i]}>Don't import</option>
            ${targets.map((t) => html`<option value=${t.key} ?selected=${this.mapping[i] === t.key}>${t.label}</option>`)}
          </select></td></tr>`)}
      </table>
      <label>Update existing records matched on
        <select @change=${(e: Event) => (this.upsertOn = (e.target as HTMLSelectElement).value)}>
          <option value="">— always create —</option>
          ${unique.map((t) => html`<option value=${t.key} ?selected=${this.upsertOn === t.key}>${t.label}</option>`)}
        </select>
      </label>
      <div>
        <label><input type="radio" name="on_error" .checked=${this.onError === 'abort'} @change=${() => (this.onError = 'abort')} />All or nothing: if any row has a problem, import nothing and list the problems</label>
        <label><input type="radio" name="on_error" .checked=${this.onError === 'skip'} @change=${() => (this.onError = 'skip')} />Import the good rows and report the others</label>
      </div>
      <button @click=${() => this.#start()} ?disabled=${!this.mapping.some(Boolean)}>Import</button>`;
  }

  #renderProgress(job: ImportInfo) {
    return html`
      <progress max=${job.row_count} .value=${job.processed}></progress>
      <p role="status">${job.status === 'running' ? `${job.processed.toLocaleString()} of ${job.row_count.toLocaleString()} rows…` : job.message}</p>
      ${job.status !== 'running' ? html`<p>${job.created.toLocaleString()} created, ${job.updated.toLocaleString()} updated, ${job.failed.toLocaleString()} failed.</p>` : nothing}
      ${job.errors.length > 0
        ? html`<table aria-label="Problems">
              <tr><th>Row</th><th>Column</th><th>Field</th><th>Why</th></tr>
              ${job.errors.slice(0, 200).map((e) => html`<tr><td>${e.row}</td><td>${e.column ?? ''}</td><td>${e.field ?? ''}</td><td>${e.reason}</td></tr>`)}
            </table>
            <a download="import-problems.csv" href=${`data:text/csv;charset=utf-8,${encodeURIComponent(this.#reportCsv())}`}>Download all problems (CSV)</a>`
        : nothing}
      ${job.status !== 'running' ? html`<p><button @click=${() => { this.step = 'choose'; this.job = undefined; }}>Import another file</button></p>` : nothing}`;
  }
}

defineView('import-export-page', ImportExportPage);
