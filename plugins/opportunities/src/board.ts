import { MosaicViewElement, css, html, nothing, type NavPageContext, type ViewRecord } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { Pipeline } from './pipeline.js';
import { STAGES, type Stage } from './stages.js';
import { STAGE_LABELS, money } from './format.js';

/** Cards loaded per column at a time: a column of thousands of deals pages rather than rendering them all. */
const PAGE = 50;

interface Column {
  cards: ViewRecord[];
  cursor: string | null;
  more: boolean;
}

/**
 * The "Pipeline" page (slot nav.page): one column per stage, in pipeline order, with the stage's count and
 * totals from `GET /pipeline`, and the opportunities as cards. Dragging a card to another column — or
 * choosing the stage in the card's menu, for the keyboard — updates the opportunity through the view's
 * records API, so the member's role and the plugin's grant both apply; a refusal puts the card back.
 */
export class OpportunitiesPipelineBoard extends MosaicViewElement<NavPageContext> {
  static override properties: PropertyDeclarations = {
    ...MosaicViewElement.properties,
    columns: { state: true },
    pipeline: { state: true },
    failure: { state: true },
    dropTarget: { state: true },
  };

  static override styles = css`
    :host { display: block; padding: 20px 24px; font: 14px/1.4 system-ui, sans-serif; color: #1f2328; }
    h1 { font-size: 20px; margin: 0 0 16px; }
    .board { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(150px, 1fr); gap: 10px; overflow-x: auto; align-items: start; }
    section { background: #f6f7f9; border-radius: 8px; padding: 8px; min-height: 120px; border: 2px solid transparent; }
    section.over { border-color: #4f6bed; }
    header { padding: 4px 4px 8px; }
    header h2 { font-size: 13px; margin: 0; text-transform: uppercase; letter-spacing: 0.03em; color: #57606a; }
    header p { margin: 2px 0 0; font-size: 12px; color: #57606a; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
    li { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; padding: 8px; cursor: grab; }
    li a { color: inherit; font-weight: 600; text-decoration: none; }
    li a:hover, li a:focus { text-decoration: underline; }
    .meta { display: flex; justify-content: space-between; gap: 8px; color: #57606a; font-size: 12px; margin-top: 4px; }
    select { font: inherit; font-size: 12px; margin-top: 6px; width: 100%; }
    button { font: inherit; margin-top: 6px; }
  `;

  declare columns: Record<Stage, Column> | undefined;
  declare pipeline: Pipeline | undefined;
  declare failure: string | undefined;
  declare dropTarget: Stage | undefined;
  #loaded = false;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('context') && this.context && !this.#loaded) {
      this.#loaded = true;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    try {
      const pages = await Promise.all(STAGES.map((stage) => this.#page(stage, null)));
      this.columns = Object.fromEntries(STAGES.map((stage, i) => [stage, pages[i]!])) as Record<Stage, Column>;
      await this.#totals();
    } catch (err) {
      this.failure = `The pipeline could not be loaded: ${(err as Error).message}`;
    }
  }

  async #page(stage: Stage, cursor: string | null): Promise<Column> {
    const page = await this.context!.api.find('opportunity', {
      filter: `stage[eq]:${stage}`,
      order_by: 'close_date[AscNullsLast]',
      limit: PAGE,
      fields: 'name,amount,close_date,stage',
      ...(cursor ? { starting_after: cursor } : {}),
    });
    return { cards: page.data, cursor: page.next_cursor, more: page.has_more };
  }

  async #totals(): Promise<void> {
    const res = await this.context!.api.route<Pipeline>('GET', '/pipeline');
    if (res.status === 200) this.pipeline = res.body;
  }

  async #more(stage: Stage): Promise<void> {
    const column = this.columns![stage];
    const next = await this.#page(stage, column.cursor);
    this.columns = { ...this.columns!, [stage]: { cards: [...column.cards, ...next.cards], cursor: next.cursor, more: next.more } };
  }

  /** Moves a card at once, then asks the kernel; a refusal moves it back and says why. */
  async #move(id: string, to: Stage): Promise<void> {
    const columns = this.columns!;
    const from = STAGES.find((s) => columns[s].cards.some((c) => c.id === id));
    if (!from || from === to) return;
    const card = columns[from].cards.find((c) => c.id === id)!;
    const without = { ...columns[from], cards: columns[from].cards.filter((c) => c.id !== id) };
    this.columns = { ...columns, [from]: without, [to]: { ...columns[to], cards: [{ ...card, stage: to }, ...columns[to].cards] } };
    try {
      await this.context!.api.update('opportunity', id, { stage: to });
      await this.context!.toast(`Moved “${String(card.name)}” to ${STAGE_LABELS[to]}.`, 'success');
      await this.#totals();
    } catch (err) {
      this.columns = columns;
      await this.context!.toast(`Could not move “${String(card.name)}”: ${(err as Error).message}`, 'error');
    }
  }

  #drop(event: DragEvent, stage: Stage): void {
    event.preventDefault();
    this.dropTarget = undefined;
    const id = event.dataTransfer?.getData('text/x-mosaic-record');
    if (id) void this.#move(id, stage);
  }

  #card(card: ViewRecord, stage: Stage) {
    const amount = card.amount as { amount: number | null; currency: string | null } | null;
    return html`<li
      draggable="true"
      data-id=${card.id}
      @dragstart=${(e: DragEvent) => {
        e.dataTransfer?.setData('text/x-mosaic-record', card.id);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <a href=${`/objects/opportunity/${card.id}`}>${String(card.name ?? 'Untitled')}</a>
      <div class="meta">
        <span>${amount?.amount !== null && amount?.amount !== undefined ? `${Number(amount.amount).toLocaleString()} ${amount.currency ?? ''}` : '—'}</span>
        <span>${card.close_date ? String(card.close_date) : ''}</span>
      </div>
      <select aria-label=${`Stage of ${String(card.name)}`} @change=${(e: Event) => void this.#move(card.id, (e.target as HTMLSelectElement).value as Stage)}>
        ${STAGES.map((s) => html`<option value=${s} ?selected=${s === stage}>${STAGE_LABELS[s]}</option>`)}
      </select>
    </li>`;
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    const columns = this.columns;
    if (!columns) return html`<p aria-busy="true">Loading the pipeline…</p>`;
    return html`<h1>Pipeline</h1>
      <div class="board">
        ${STAGES.map((stage) => {
          const totals = this.pipeline?.stages.find((s) => s.stage === stage);
          return html`<section
            aria-label=${STAGE_LABELS[stage]}
            data-stage=${stage}
            class=${this.dropTarget === stage ? 'over' : ''}
            @dragover=${(e: DragEvent) => {
              e.preventDefault();
              this.dropTarget = stage;
            }}
            @dragleave=${() => (this.dropTarget = undefined)}
            @drop=${(e: DragEvent) => this.#drop(e, stage)}
          >
            <header>
              <h2>${STAGE_LABELS[stage]} <span class="count">${totals ? totals.count : columns[stage].cards.length}</span></h2>
              ${totals ? html`<p>${money(totals.amount)}</p><p>Weighted ${money(totals.weighted)}</p>` : nothing}
            </header>
            <ol>${columns[stage].cards.map((card) => this.#card(card, stage))}</ol>
            ${columns[stage].more ? html`<button @click=${() => void this.#more(stage)}>Show more</button>` : nothing}
          </section>`;
        })}
      </div>`;
  }
}
