import { css } from 'lit';
import { chipStyles } from './chip-styles.js';

/**
 * The record table: dense rows of one fixed height (virtual scrolling positions rows by index, see
 * `ROW_HEIGHT` in `record-table.ts`), sticky header, chips by option colour.
 */
export const tableStyles = [
  chipStyles,
  css`
  :host { display: block; height: 100%; }
  .scroller { height: 100%; overflow: auto; border-top: 1px solid var(--border); overflow-anchor: none; }
  /* Fixed layout: column widths come from the header alone, so rows scrolling in never resize the
     columns (no jitter) and the browser does not measure every cell on each frame. */
  table { border-collapse: separate; border-spacing: 0; width: max-content; min-width: 100%; table-layout: fixed; }
  th { width: 180px; }
  th[data-type='number'], th[data-type='currency'], th[data-type='rating'], th[data-type='boolean'] { width: 120px; }
  th[data-type='select'], th[data-type='date'] { width: 140px; }
  th[data-type='email'], th[data-type='link'], th[data-type='relation'], th[data-type='datetime'] { width: 200px; }
  th, td { height: 34px; padding: 0 10px; border-bottom: 1px solid var(--border); border-right: 1px solid var(--border); text-align: left; white-space: nowrap; max-width: 280px; overflow: hidden; text-overflow: ellipsis; }
  tbody tr { height: 34px; }
  tr.spacer td { height: 0; padding: 0; border: 0; }
  tr.placeholder td { color: var(--text-faint); }
  tr.placeholder .bar { display: block; height: 10px; width: 40%; border-radius: 4px; background: var(--bg-hover); }
  td:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
  th { position: sticky; top: 0; z-index: 1; background: var(--bg); font-weight: 500; color: var(--text-muted); }
  th button.sort { border: 0; background: transparent; padding: 0; height: auto; color: inherit; font-weight: inherit; gap: 4px; }
  th .arrow { color: var(--accent); }
  th.select, td.select { width: 36px; min-width: 36px; text-align: center; padding: 0; }
  tr:hover td { background: var(--bg-subtle); }
  tr[aria-selected='true'] td { background: var(--bg-selected); }
  td.editable { cursor: text; }
  td.editing { padding: 0; overflow: visible; position: relative; }
  td.invalid { box-shadow: inset 0 0 0 2px var(--danger); }
  .editor { width: 100%; min-width: 160px; height: 33px; border-radius: 0; border: 0; box-shadow: inset 0 0 0 2px var(--accent); }
  td.invalid .editor { box-shadow: inset 0 0 0 2px var(--danger); }
  .cell-error { position: absolute; left: 0; top: 100%; z-index: 2; background: var(--danger); color: white; padding: 4px 8px; border-radius: 0 0 var(--radius) var(--radius); font-size: 12px; white-space: normal; width: max-content; max-width: 320px; }
  .num { display: block; text-align: right; font-variant-numeric: tabular-nums; }
  .bool.yes { color: var(--success); font-weight: 600; } .bool.no { color: var(--text-faint); }
  /* The arrow is generated content, so the cell's text stays the value alone. */
  a.open::after { content: '↗'; }
  a.open { margin-left: 8px; padding: 0 4px; border-radius: 4px; opacity: 0; }
  tr:hover a.open, a.open:focus-visible { opacity: 1; background: var(--bg-hover); }
  a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
`,
];
