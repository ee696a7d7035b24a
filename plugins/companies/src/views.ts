import { MosaicViewElement, defineView, html, nothing } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { Overview } from './server.js';

/**
 * The company page's "Overview" tab (slot record.tab on company). The shell sets `context` with the
 * company shown; the counts come from the plugin's own `GET /overview/:id`, which reads the related
 * objects with the plugin's grant.
 */
export class CompaniesOverviewTab extends MosaicViewElement {
  static override properties: PropertyDeclarations = { ...MosaicViewElement.properties, overview: { state: true }, failure: { state: true } };

  // `declare`: Lit owns these accessors; a class field would shadow them.
  declare overview: Overview | undefined;
  declare failure: string | undefined;
  #loadedFor: string | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    const id = this.context?.record?.id;
    if (changed.has('context') && typeof id === 'string' && id !== this.#loadedFor) {
      this.#loadedFor = id;
      void this.#load(id);
    }
  }

  async #load(id: string): Promise<void> {
    this.overview = undefined;
    this.failure = undefined;
    const res = await this.context!.api.route<Overview>('GET', `/overview/${encodeURIComponent(id)}`);
    if (id !== this.#loadedFor) return; // the shell moved on to another company meanwhile
    if (res.status === 200) this.overview = res.body;
    else this.failure = `The overview could not be loaded (${res.status}).`;
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    const overview = this.overview;
    if (!overview) return html`<p>Loading…</p>`;
    const { company, related } = overview;
    const revenue = company.annual_revenue as { amount: number | null; currency: string | null } | null;
    return html`
      <dl>
        <dt>Domain</dt><dd>${company.domain ?? '—'}</dd>
        <dt>Employees</dt><dd>${company.employees ?? '—'}</dd>
        <dt>Annual revenue</dt><dd>${revenue?.amount != null ? `${revenue.amount} ${revenue.currency ?? ''}` : '—'}</dd>
        ${related.people === null ? nothing : html`<dt>People</dt><dd>${related.people}</dd>`}
        ${related.opportunities === null ? nothing : html`<dt>Opportunities</dt><dd>${related.opportunities}</dd>`}
      </dl>
    `;
  }
}

defineView('companies-overview-tab', CompaniesOverviewTab);
