import type { FindResult } from './find.js';

/** A list result in the API's JSON shape — the same for HTTP and for plugins' `records.find`. */
export function pageJson(result: Omit<FindResult, 'rows'>): Record<string, unknown> {
  return {
    data: result.data,
    page_info: {
      has_next_page: result.pageInfo.hasNextPage,
      has_previous_page: result.pageInfo.hasPreviousPage,
      start_cursor: result.pageInfo.startCursor,
      end_cursor: result.pageInfo.endCursor,
    },
    ...(result.totalCount === undefined ? {} : { total_count: result.totalCount }),
  };
}
