import type { RecordData, RecordPage } from '../api/types.js';

/** Rows of the first request: what the first screen shows, so it paints as soon as possible. */
export const FIRST_PAGE = 50;
/** The API's largest page; used when the reader jumps far ahead of what is loaded. */
const MAX_PAGE = 500;
/**
 * Rows fetched past the ones asked for, and the smallest page after the first: fewer, larger requests
 * keep up with a fast wheel better than many small ones (each request has a fixed cost).
 */
const AHEAD = 250;

/** Fetches one page after `startingAfter` (null: the first page); `count` asks for `total_count`. */
export type PageFetcher = (startingAfter: string | null, limit: number, count: boolean) => Promise<RecordPage>;

/**
 * The records of one query (sort and filter) as a contiguous prefix loaded on demand. Keyset cursors
 * only walk forwards, so the table asks for "the first N rows" ({@link want}) and the window fetches
 * the pages in between, one request at a time, in larger pages when the reader jumped far. `total`
 * (from `count=true`) sizes the scroll area before the rows arrive. {@link refresh} reloads what is
 * loaded after a change made elsewhere, keeping the old rows on screen until the new ones are in.
 */
export class RecordWindow {
  /** Rows loaded so far, in query order. */
  rows: readonly RecordData[] = [];
  /** Every row the query matches, once the first answer came. */
  total: number | null = null;
  error: string | null = null;
  readonly #fetch: PageFetcher;
  readonly #onChange: () => void;
  #cursor: string | null = null;
  #hasNext = true;
  #wanted = FIRST_PAGE;
  #refresh = false;
  #running = false;
  #closed = false;

  constructor(fetch: PageFetcher, onChange: () => void) {
    this.#fetch = fetch;
    this.#onChange = onChange;
    void this.#pump();
  }

  /** Whether a request is on its way. */
  get loading(): boolean {
    return this.#running;
  }

  /** Asks for the first `count` rows (more than `total` is fine). */
  want(count: number): void {
    if (count <= this.#wanted) return;
    this.#wanted = count;
    void this.#pump();
  }

  /** Reloads the loaded rows (as many as were shown), then swaps them in at once. */
  refresh(): void {
    this.#refresh = true;
    void this.#pump();
  }

  /** Replaces a loaded row in place (an edit made here, answered by the API). */
  patch(record: RecordData): void {
    const i = this.rows.findIndex((r) => r.id === record.id);
    if (i < 0) return;
    const rows = [...this.rows];
    rows[i] = { ...rows[i]!, ...record };
    this.rows = rows;
    this.#onChange();
  }

  /** Stops for good: answers still on their way are dropped (the query changed). */
  close(): void {
    this.#closed = true;
  }

  async #pump(): Promise<void> {
    if (this.#running || this.#closed) return;
    this.#running = true;
    try {
      while (!this.#closed) {
        if (this.#refresh) {
          this.#refresh = false;
          await this.#reload();
        } else if (this.#hasNext && this.rows.length < this.#wanted) {
          const limit = Math.min(MAX_PAGE, Math.max(this.rows.length === 0 ? FIRST_PAGE : AHEAD, this.#wanted - this.rows.length + (this.rows.length === 0 ? 0 : AHEAD)));
          const page = await this.#fetch(this.#cursor, limit, this.rows.length === 0);
          if (this.#closed || this.#refresh) continue;
          this.rows = [...this.rows, ...page.data];
          this.#take(page);
        } else break;
        this.error = null;
        this.#onChange();
      }
    } catch (err) {
      this.error = (err as Error).message;
      this.#onChange();
    } finally {
      this.#running = false;
    }
  }

  /** Fetches the loaded prefix again from the start; rows past it load on demand afterwards. */
  async #reload(): Promise<void> {
    const target = Math.max(FIRST_PAGE, Math.min(this.rows.length, this.#wanted));
    const rows: RecordData[] = [];
    let cursor: string | null = null;
    let page: RecordPage;
    do {
      page = await this.#fetch(cursor, Math.min(MAX_PAGE, target - rows.length), cursor === null);
      if (this.#closed || this.#refresh) return; // a newer change: start over
      rows.push(...page.data);
      cursor = page.page_info.end_cursor;
    } while (rows.length < target && page.page_info.has_next_page && cursor);
    this.rows = rows;
    this.#cursor = null;
    this.#take(page);
  }

  #take(page: RecordPage): void {
    this.#cursor = page.page_info.end_cursor ?? this.#cursor;
    this.#hasNext = page.page_info.has_next_page && page.page_info.end_cursor !== null;
    if (page.total_count !== undefined) this.total = page.total_count;
    // The count and the rows are read at slightly different moments; the rows are the truth at the end.
    if (!this.#hasNext) this.total = this.rows.length;
    else if (this.total !== null && this.total < this.rows.length) this.total = this.rows.length;
  }
}
