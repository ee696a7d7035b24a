import type { AggregateResult } from './aggregate.js';

/** The JSON shape of an aggregate answer, shared by the HTTP route and the plugin host API. */
export function aggregateJson(result: AggregateResult) {
  return { data: result.data, has_more: result.hasMore };
}
