/**
 * The plugin's page (slot nav.page in mosaic-plugin.json). The UI shell mounts <company-enrichment-page>;
 * everything the element shows comes from the plugin's own routes.
 */
export class NotesPage extends HTMLElement {
  connectedCallback(): void {
    this.textContent = 'Loading notes…';
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const res = await fetch('/api/plugins/company-enrichment/notes', { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`the notes route answered ${res.status}`);
      const { data } = (await res.json()) as { data: { id: string; title: string }[] };
      this.render(data);
    } catch (error) {
      this.textContent = `Could not load notes: ${(error as Error).message}`;
    }
  }

  render(notes: readonly { id: string; title: string }[]): void {
    const list = document.createElement('ul');
    for (const note of notes) {
      const item = document.createElement('li');
      item.textContent = note.title; // textContent, never innerHTML: titles are user data
      list.append(item);
    }
    this.replaceChildren(notes.length > 0 ? list : 'No notes yet.');
  }
}

if (!customElements.get('company-enrichment-page')) customElements.define('company-enrichment-page', NotesPage);
