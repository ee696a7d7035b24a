/**
 * The pipeline, in order. The `stage` select field of mosaic-plugin.json lists the same values in the
 * same order — select options carry their order as the array's order, nothing else — and a test checks
 * the two agree.
 */
export const STAGES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;

/** One stage of the pipeline. */
export type Stage = (typeof STAGES)[number];

/** Whether a value is one of the pipeline's stages. */
export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/**
 * The probability a stage settles: a won deal is certain and a lost one is not going to happen. Other
 * stages leave the probability to the seller (null).
 */
export function settledProbability(stage: unknown): number | null {
  if (stage === 'won') return 100;
  if (stage === 'lost') return 0;
  return null;
}
