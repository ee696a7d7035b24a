import { MosaicViewElement, defineView, html } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { PeoplePage, PersonRow } from './server.js';

const nameOf = (p: PersonRow): string => [p.full_name?.first_name, p.full_name?.last_name].filter(Boolean).join(' ') || 'Unnamed';

/**
 * The company page's "People" tab (slot record.tab on company): the company's people from the
 * plugin's `GET /companies/:id/people`, a page at a time; a name opens the person's page.
 */
export class PeopleCompanyTab extends MosaicViewElement {
  static override properties: PropertyDeclarations = { ...MosaicViewElement.properties, people: { state: true }, next: { state: true }, failure: { state: true } };

  // `declare`: Lit owns these accessors; a class field would shadow them.
  declare people: PersonRow[] | undefined;
  declare next: string | null;
  declare failure: string | undefined;
  #companyId: string | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    const id = this.context?.record?.id;
    if (changed.has('context') && typeof id === 'string' && id !== this.#companyId) {
      this.#companyId = id;
      this.people = undefined;
      void this.#load(id, null);
    }
  }

  async #load(companyId: string, after: string | null): Promise<void> {
    this.failure = undefined;
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    const res = await this.context!.api.route<PeoplePage>('GET', `/companies/${encodeURIComponent(companyId)}/people${query}`);
    if (companyId !== this.#companyId) return; // another company is shown by now
    if (res.status !== 200) {
      this.failure = `The people could not be loaded (${res.status}).`;
      return;
    }
    this.people = [...(after ? (this.people ?? []) : []), ...res.body.data];
    this.next = res.body.next_cursor;
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    if (!this.people) return html`<p>Loading…</p>`;
    if (this.people.length === 0) return html`<p>No people at this company yet.</p>`;
    return html`
      <ul>
        ${this.people.map((p) => html`<li>
          <a href="/objects/person/${p.id}" @click=${(e: Event) => this.#open(e, p.id)}>${nameOf(p)}</a>
          ${p.job_title ? html` · ${p.job_title}` : ''} ${p.email ? html` · ${p.email}` : ''}
        </li>`)}
      </ul>
      ${this.next ? html`<button @click=${() => void this.#load(this.#companyId!, this.next)}>More</button>` : ''}
    `;
  }

  #open(event: Event, id: string): void {
    event.preventDefault();
    void this.context?.navigate(`/objects/person/${id}`);
  }
}

defineView('people-company-tab', PeopleCompanyTab);
