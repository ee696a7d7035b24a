import { MosaicViewElement, defineView, html, type ViewContextOf } from '@mosaic/plugin-sdk/views';

/** What the plugin's route answers for a company. */
interface Enrichment {
  readonly industry: string | null;
  readonly employees: number | null;
  readonly enriched_at: string | null;
}

/**
 * The company page's "Enrichment" tab (slot record.tab on company in mosaic-plugin.json). The shell sets
 * `context` with the company; the tab reads the plugin's own route through `context.api.route`, which
 * carries the member's session and the plugin's grant, and can ask the API again.
 */
export class CompanyEnrichmentTab extends MosaicViewElement<ViewContextOf<'record.tab'>> {
  static override properties = { ...MosaicViewElement.properties, data: { state: true }, error: { state: true } };
  declare data: Enrichment | undefined;
  declare error: string | undefined;
  #loadedFor: string | undefined;

  override updated(): void {
    const id = this.context?.record.id;
    if (id && id !== this.#loadedFor) {
      this.#loadedFor = id;
      void this.#load('GET', `/companies/${encodeURIComponent(id)}`);
    }
  }

  async #load(method: 'GET' | 'POST', path: string): Promise<void> {
    try {
      const res = await this.context!.api.route<Enrichment>(method, path);
      if (res.status !== 200) throw new Error(`the enrichment route answered ${res.status}`);
      this.data = res.body;
      this.error = undefined;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  override render() {
    if (this.error) return html`<p role="alert">Could not load the enrichment: ${this.error}</p>`;
    if (!this.data) return html`<p>Loading enrichment…</p>`;
    const { industry, employees, enriched_at } = this.data;
    const id = this.context!.record.id;
    return html`
      <dl class="company-enrichment">
        <dt>Industry</dt><dd data-field="industry">${industry ?? '—'}</dd>
        <dt>Employees</dt><dd data-field="employees">${employees === null ? '—' : String(employees)}</dd>
        <dt>Enriched at</dt><dd>${enriched_at ? new Date(enriched_at).toLocaleString() : 'not yet'}</dd>
      </dl>
      <button type="button" @click=${() => void this.#load('POST', `/companies/${encodeURIComponent(id)}/refresh`)}>Refresh</button>
    `;
  }
}

defineView('company-enrichment-tab', CompanyEnrichmentTab);
