import { MosaicViewElement, defineView, html } from '@mosaic/plugin-sdk/views';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import { OpportunitiesPipelineBoard } from './board.js';
import { STAGE_LABELS, money } from './format.js';
import type { Pipeline } from './pipeline.js';

/**
 * The dashboard's "Pipeline" tile (slot dashboard.widget): count, total and weighted total per stage,
 * from the plugin's `GET /pipeline`, loaded when the shell mounts it.
 */
export class OpportunitiesPipelineWidget extends MosaicViewElement {
  static override properties: PropertyDeclarations = { ...MosaicViewElement.properties, pipeline: { state: true }, failure: { state: true } };

  // `declare`: Lit owns these accessors; a class field would shadow them.
  declare pipeline: Pipeline | undefined;
  declare failure: string | undefined;
  #requested = false;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('context') && this.context && !this.#requested) {
      this.#requested = true;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const res = await this.context!.api.route<Pipeline>('GET', '/pipeline');
    if (res.status === 200) this.pipeline = res.body;
    else this.failure = `The pipeline could not be loaded (${res.status}).`;
  }

  override render() {
    if (this.failure) return html`<p role="alert">${this.failure}</p>`;
    const pipeline = this.pipeline;
    if (!pipeline) return html`<p>Loading…</p>`;
    return html`
      <table>
        <thead><tr><th>Stage</th><th>Deals</th><th>Amount</th><th>Weighted</th></tr></thead>
        <tbody>
          ${pipeline.stages.map((s) => html`<tr><td>${STAGE_LABELS[s.stage] ?? s.stage}</td><td>${s.count}</td><td>${money(s.amount)}</td><td>${money(s.weighted)}</td></tr>`)}
        </tbody>
      </table>
    `;
  }
}

defineView('opportunities-pipeline-widget', OpportunitiesPipelineWidget);
defineView('opportunities-pipeline-board', OpportunitiesPipelineBoard);
