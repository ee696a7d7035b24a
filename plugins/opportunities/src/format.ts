import type { Stage } from './stages.js';

/** The stages as members read them. */
export const STAGE_LABELS: Record<Stage, string> = { new: 'New', qualified: 'Qualified', proposal: 'Proposal', negotiation: 'Negotiation', won: 'Won', lost: 'Lost' };

/** `{EUR: 1200, USD: 50}` as "1,200 EUR · 50 USD". */
export const money = (perCurrency: Readonly<Record<string, number>>): string =>
  Object.entries(perCurrency).map(([currency, value]) => `${value.toLocaleString()} ${currency}`).join(' · ') || '—';
