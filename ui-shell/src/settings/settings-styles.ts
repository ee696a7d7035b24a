import { css } from 'lit';

/** The shared look of settings pages: a column of sections with tables and small forms. */
export const settingsStyles = css`
  :host { display: block; padding: 20px; max-width: 960px; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  h2 { font-size: 14px; margin: 0; }
  section { border: 1px solid var(--border); border-radius: 10px; padding: 16px; margin-top: 16px; display: grid; gap: 12px; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--border); vertical-align: middle; }
  th { font-size: 12px; font-weight: 500; color: var(--text-muted); }
  tr:last-child td { border-bottom: 0; }
  form.inline { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
  form.inline label { flex: 1 1 180px; }
  .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
  .refused { padding: 16px; border-radius: 10px; background: var(--danger-soft); }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; background: var(--bg-hover); color: var(--text-muted); }
  .badge.on { background: #dcfce7; color: #166534; }
  .badge.warn { background: #fef3c7; color: #92400e; }
  .badge.bad { background: var(--danger-soft); color: var(--danger); }
  .empty { color: var(--text-muted); }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
  /* On a phone a wide table scrolls inside its section instead of widening the page. */
  @media (max-width: 720px) {
    :host { padding: 12px; }
    section { padding: 12px; min-width: 0; }
    table { display: block; overflow-x: auto; }
  }
`;
