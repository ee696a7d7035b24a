import type { PluginContext, PluginRecord } from '@mosaic/plugin-sdk';
import { isStage, STAGES, type Stage } from './stages.js';

/** The object this plugin contributes and owns (see mosaic-plugin.json). */
export const OPPORTUNITY = 'opportunity';

/** Totals of one stage. Amounts are per ISO 4217 currency: amounts in different currencies are never added. */
export type StageTotals = {
  readonly stage: Stage;
  readonly count: number;
  /** Sum of `amount` per currency. */
  readonly amount: { readonly [currency: string]: number };
  /** Sum of `amount × probability / 100` per currency; an opportunity without a probability weighs 0. */
  readonly weighted: { readonly [currency: string]: number };
};

/** What `GET /pipeline` answers. */
export type Pipeline = {
  /** Every stage, in pipeline order, also those with no opportunity. */
  readonly stages: StageTotals[];
  /** Opportunities without a stage (their stage was cleared). */
  readonly unstaged: number;
  /** How many opportunities were read. */
  readonly counted: number;
  /** True when the invocation's budget ran out before every opportunity was read: the totals are partial. */
  readonly truncated: boolean;
};

// One route invocation may read 10,000 records and make 200 host calls (docs/plugins.md). Pages of 500
// reach the row budget after 20 calls; the loop stops there, before a 21st call would be refused.
export const PAGE_SIZE = 500;
export const ROW_BUDGET = 10_000;
export const CALL_BUDGET = 200;

// Sums are kept in ten-thousandths (the currency field's 4 decimals) so adding many amounts stays exact.
const SCALE = 10_000;

/** Adds opportunities to running totals; kept apart from paging so it can be tested on plain data. */
export class PipelineTotals {
  readonly #count = new Map<Stage, number>();
  readonly #amount = new Map<Stage, Map<string, number>>();
  readonly #weighted = new Map<Stage, Map<string, number>>();
  #unstaged = 0;
  #counted = 0;

  add(record: Readonly<Record<string, unknown>>): void {
    this.#counted++;
    const stage = record.stage;
    if (!isStage(stage)) {
      this.#unstaged++;
      return;
    }
    this.#count.set(stage, (this.#count.get(stage) ?? 0) + 1);
    const money = record.amount as { amount?: unknown; currency?: unknown } | null | undefined;
    const amount = money?.amount === null || money?.amount === undefined ? NaN : Number(money.amount);
    if (!Number.isFinite(amount) || typeof money?.currency !== 'string') return;
    const scaled = Math.round(amount * SCALE);
    const probability = typeof record.probability === 'number' ? record.probability : Number(record.probability ?? 0);
    const bump = (totals: Map<Stage, Map<string, number>>, value: number) => {
      const perCurrency = totals.get(stage) ?? new Map<string, number>();
      perCurrency.set(money.currency as string, (perCurrency.get(money.currency as string) ?? 0) + value);
      totals.set(stage, perCurrency);
    };
    bump(this.#amount, scaled);
    bump(this.#weighted, Number.isFinite(probability) ? (scaled * probability) / 100 : 0);
  }

  result(truncated: boolean): Pipeline {
    const unscale = (perCurrency: Map<string, number> | undefined) =>
      Object.fromEntries([...(perCurrency ?? [])].sort(([a], [b]) => a.localeCompare(b)).map(([currency, value]) => [currency, Math.round(value) / SCALE]));
    return {
      stages: STAGES.map((stage) => ({ stage, count: this.#count.get(stage) ?? 0, amount: unscale(this.#amount.get(stage)), weighted: unscale(this.#weighted.get(stage)) })),
      unstaged: this.#unstaged,
      counted: this.#counted,
      truncated,
    };
  }
}

/** Pages through every live opportunity within the invocation's budgets and totals them per stage. */
export async function computePipeline(ctx: PluginContext, budget = { rows: ROW_BUDGET, calls: CALL_BUDGET, page: PAGE_SIZE }): Promise<Pipeline> {
  const totals = new PipelineTotals();
  let cursor: string | null = null;
  let rows = 0;
  for (let calls = 0; ; calls++) {
    // Another page could pass a budget: stop and say the answer is partial.
    if (rows >= budget.rows || calls >= budget.calls) return totals.result(true);
    const page: { data: PluginRecord[]; page_info: { has_next_page: boolean; end_cursor: string | null } } = await ctx.host.records.find(OPPORTUNITY, {
      fields: ['stage', 'amount', 'probability'],
      order_by: 'created_at[Asc]',
      limit: Math.min(budget.page, budget.rows - rows),
      ...(cursor ? { starting_after: cursor } : {}),
    });
    rows += page.data.length;
    for (const record of page.data) totals.add(record);
    if (!page.page_info.has_next_page || !page.page_info.end_cursor) return totals.result(false);
    cursor = page.page_info.end_cursor;
  }
}
