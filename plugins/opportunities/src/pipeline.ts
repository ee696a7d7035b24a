import type { AggregateAnswer, PluginContext } from '@mosaic/plugin-sdk';
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
  /** How many opportunities were counted: all live ones. */
  readonly counted: number;
};

/** One group of the aggregate: opportunities sharing a stage, a currency and a probability. */
export interface PipelineGroup {
  readonly stage: unknown;
  readonly currency: unknown;
  readonly probability: unknown;
  readonly count: number;
  /** The sum of their amounts (null when none has one). */
  readonly amount: number | string | null;
}

// Sums are kept in ten-thousandths (the currency field's 4 decimals) so adding many amounts stays exact.
const SCALE = 10_000;

/** Adds aggregate groups to per-stage totals; kept apart from the host call so it can be tested on plain data. */
export class PipelineTotals {
  readonly #count = new Map<Stage, number>();
  readonly #amount = new Map<Stage, Map<string, number>>();
  readonly #weighted = new Map<Stage, Map<string, number>>();
  #unstaged = 0;
  #counted = 0;

  add(group: PipelineGroup): void {
    this.#counted += group.count;
    const stage = group.stage;
    if (!isStage(stage)) {
      this.#unstaged += group.count;
      return;
    }
    this.#count.set(stage, (this.#count.get(stage) ?? 0) + group.count);
    const amount = group.amount === null ? NaN : Number(group.amount);
    if (!Number.isFinite(amount) || typeof group.currency !== 'string') return;
    const scaled = Math.round(amount * SCALE);
    const probability = typeof group.probability === 'number' ? group.probability : Number(group.probability ?? 0);
    const bump = (totals: Map<Stage, Map<string, number>>, value: number) => {
      const perCurrency = totals.get(stage) ?? new Map<string, number>();
      perCurrency.set(group.currency as string, (perCurrency.get(group.currency as string) ?? 0) + value);
      totals.set(stage, perCurrency);
    };
    bump(this.#amount, scaled);
    bump(this.#weighted, Number.isFinite(probability) ? (scaled * probability) / 100 : 0);
  }

  result(): Pipeline {
    const unscale = (perCurrency: Map<string, number> | undefined) =>
      Object.fromEntries([...(perCurrency ?? [])].sort(([a], [b]) => a.localeCompare(b)).map(([currency, value]) => [currency, Math.round(value) / SCALE]));
    return {
      stages: STAGES.map((stage) => ({ stage, count: this.#count.get(stage) ?? 0, amount: unscale(this.#amount.get(stage)), weighted: unscale(this.#weighted.get(stage)) })),
      unstaged: this.#unstaged,
      counted: this.#counted,
    };
  }
}

const GROUP_BY = ['stage', 'amount.currency', 'probability'];
const SUM = 'sum:amount.amount';

function groupsOf(answer: AggregateAnswer): PipelineGroup[] {
  return answer.data.map((g) => ({ stage: g.group.stage, currency: g.group['amount.currency'], probability: g.group.probability, count: g.count, amount: g.metrics[SUM] ?? null }));
}

/**
 * Totals every live opportunity per stage. The database groups them by stage, currency and probability
 * (the weighted total needs each amount's probability), so the answer is exact for any number of
 * opportunities. An aggregate answers at most 1,000 groups; past that (many currencies × many
 * probabilities) it asks stage by stage.
 */
export async function computePipeline(ctx: PluginContext): Promise<Pipeline> {
  const totals = new PipelineTotals();
  const all = await ctx.host.records.aggregate(OPPORTUNITY, { group_by: GROUP_BY, metrics: [SUM] });
  if (!all.has_more) {
    for (const group of groupsOf(all)) totals.add(group);
    return totals.result();
  }
  // A select holds one of its options or nothing, so these filters cover every opportunity once.
  for (const filter of [...STAGES.map((stage) => `stage[eq]:${stage}`), 'stage[is]:NULL']) {
    const part = await ctx.host.records.aggregate(OPPORTUNITY, { group_by: GROUP_BY, metrics: [SUM], filter });
    for (const group of groupsOf(part)) totals.add(group);
  }
  return totals.result();
}
