/**
 * The deal page's "Notes" tab (slot record.tab on deal in mosaic-plugin.json). The UI shell mounts
 * <deal-notes-tab> with the deal's id in the `record-id` attribute; everything the element shows comes
 * from the plugin's own route. A plain custom element: Lit is not installed in this repository yet, and
 * changing the base class to LitElement changes nothing else.
 */
export class DealNotesTab extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['record-id'];
  }

  connectedCallback(): void {
    void this.load();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) void this.load();
  }

  async load(): Promise<void> {
    const dealId = this.getAttribute('record-id');
    if (!dealId) {
      this.textContent = 'No deal selected.';
      return;
    }
    this.textContent = 'Loading notes…';
    try {
      const res = await fetch(`/api/plugins/deal-notes/deals/${encodeURIComponent(dealId)}/notes`, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`the notes route answered ${res.status}`);
      const { data } = (await res.json()) as { data: { id: string; title: string; body: string | null }[] };
      if (this.getAttribute('record-id') === dealId) this.render(data);
    } catch (error) {
      this.textContent = `Could not load notes: ${(error as Error).message}`;
    }
  }

  render(notes: readonly { id: string; title: string; body: string | null }[]): void {
    const list = document.createElement('ul');
    for (const note of notes) {
      const item = document.createElement('li');
      const title = document.createElement('strong');
      title.textContent = note.title; // textContent, never innerHTML: notes are user data
      item.append(title);
      if (note.body) item.append(document.createElement('br'), note.body);
      list.append(item);
    }
    this.replaceChildren(notes.length > 0 ? list : 'No notes on this deal yet.');
  }
}

if (!customElements.get('deal-notes-tab')) customElements.define('deal-notes-tab', DealNotesTab);
