/**
 * What runs inside Chromium: the detector of "first rows painted" (the same for the shell and the
 * baseline page), the baseline page itself, and the scroll loops. Functions passed to `page.evaluate`
 * are serialised, so each is self-contained.
 */

/** Rows the first screen must show. */
export const FIRST_ROWS = 50;

/**
 * Installed before any page script: on every animation frame, counts the data rows in the document and
 * in the shell's table (inside its shadow roots); the first frame with ≥ 50 records the time, since
 * navigation start. A frame callback runs right before that frame paints, so this is "painted by".
 */
export const DETECTOR = `(() => {
  const count = () => {
    let n = document.querySelectorAll('tbody tr[data-id]').length;
    const table = document.querySelector('mosaic-app')?.shadowRoot?.querySelector('mosaic-object-page')?.shadowRoot?.querySelector('mosaic-record-table');
    if (table?.shadowRoot) n += table.shadowRoot.querySelectorAll('tbody tr[data-id]').length;
    return n;
  };
  const tick = () => {
    if (count() >= ${FIRST_ROWS}) window.__firstRows = performance.now();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/**
 * The baseline: a static page with one inline script that fetches the same first request as the shell
 * (50 rows, depth 1, with the count) from the same API and renders the same columns as a plain table.
 * No framework, no bundle, no live socket: the floor for "API answer on screen".
 */
export function baselineHtml(columns: readonly string[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Deals</title>
<style>body{font:13px system-ui;margin:0}td,th{height:34px;padding:0 10px;border-bottom:1px solid #e6e6e9;white-space:nowrap;text-align:left}</style></head>
<body><h1>Deals <span id="count"></span></h1><table><thead><tr>${columns.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody></tbody></table>
<script>
(async () => {
  const columns = ${JSON.stringify(columns)};
  const res = await fetch('/api/objects/deal?limit=50&depth=1&count=true', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const page = await res.json();
  document.getElementById('count').textContent = page.total_count;
  const tbody = document.querySelector('tbody');
  const frag = document.createDocumentFragment();
  for (const record of page.data) {
    const tr = document.createElement('tr');
    tr.dataset.id = record.id;
    for (const c of columns) {
      const td = document.createElement('td');
      const v = record[c];
      td.textContent = v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '✓' : '–') : String(v);
      tr.append(td);
    }
    frag.append(tr);
  }
  tbody.append(frag);
})();
</script></body></html>`;
}

/** What one scroll pass saw. */
export interface ScrollStats {
  readonly ms: number;
  readonly frames: number[];
  readonly maxDomRows: number;
  readonly placeholderFrames: number;
  readonly lastRowIndex: string | null;
}

/**
 * Scrolls the shell's table from the top to the bottom by `step` pixels per animation frame (a fast
 * wheel), recording each frame's duration and the rows in the DOM, until the last row is on screen with
 * its data. Runs in the page.
 */
export function scrollThrough(step: number): Promise<ScrollStats> {
  const table = document.querySelector('mosaic-app')!.shadowRoot!.querySelector('mosaic-object-page')!.shadowRoot!.querySelector('mosaic-record-table')!;
  const scroller = table.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
  const total = Number(table.shadowRoot!.querySelector('table')!.getAttribute('aria-rowcount'));
  scroller.scrollTop = 0;
  const frames: number[] = [];
  let maxDomRows = 0;
  let placeholderFrames = 0;
  const started = performance.now();
  let last = started;
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      frames.push(now - last);
      last = now;
      maxDomRows = Math.max(maxDomRows, scroller.querySelectorAll('tbody tr[role="row"]').length);
      if (scroller.querySelector('tbody tr.placeholder')) placeholderFrames++;
      const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
      const lastRow = atBottom ? scroller.querySelector(`tbody tr[data-id][aria-rowindex="${total}"]`) : null;
      if (lastRow) {
        resolve({ ms: now - started, frames: frames.slice(1), maxDomRows, placeholderFrames, lastRowIndex: lastRow.getAttribute('aria-rowindex') });
        return;
      }
      scroller.scrollTop += step;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Drags the scrollbar to the bottom at once: time until the last row shows its data. Runs in the page. */
export function jumpToBottom(): Promise<{ ms: number; maxDomRows: number }> {
  const table = document.querySelector('mosaic-app')!.shadowRoot!.querySelector('mosaic-object-page')!.shadowRoot!.querySelector('mosaic-record-table')!;
  const scroller = table.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
  const total = Number(table.shadowRoot!.querySelector('table')!.getAttribute('aria-rowcount'));
  const started = performance.now();
  scroller.scrollTop = scroller.scrollHeight;
  let maxDomRows = 0;
  return new Promise((resolve) => {
    const tick = () => {
      maxDomRows = Math.max(maxDomRows, scroller.querySelectorAll('tbody tr[role="row"]').length);
      if (scroller.querySelector(`tbody tr[data-id][aria-rowindex="${total}"]`)) resolve({ ms: performance.now() - started, maxDomRows });
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
