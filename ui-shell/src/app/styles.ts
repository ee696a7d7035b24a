import { css } from 'lit';

/**
 * Design tokens and the shared look of controls, adopted by every shell element (shadow DOM keeps each
 * element's styles apart, so the shared sheet is listed in each `static styles`). Constructed stylesheets
 * need no `'unsafe-inline'` under the Content-Security-Policy.
 */
export const base = css`
  :host {
    --bg: #ffffff;
    --bg-subtle: #f7f7f8;
    --bg-hover: #f0f0f2;
    --bg-selected: #eef2ff;
    --border: #e6e6e9;
    --border-strong: #d4d4d8;
    --text: #18181b;
    --text-muted: #6b6b76;
    --text-faint: #a1a1aa;
    --accent: #4f46e5;
    --accent-hover: #4338ca;
    --accent-soft: #eef2ff;
    --danger: #dc2626;
    --danger-soft: #fef2f2;
    --success: #16a34a;
    --radius: 6px;
    --shadow: 0 1px 2px rgb(0 0 0 / 0.04), 0 4px 16px rgb(0 0 0 / 0.08);
    font-family: Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    font-size: 13px;
    line-height: 1.45;
    color: var(--text);
    box-sizing: border-box;
  }
  *, *::before, *::after { box-sizing: inherit; }
  button {
    font: inherit;
    display: inline-flex;
    align-items: center;
    gap: 6px;
    height: 28px;
    padding: 0 10px;
    border: 1px solid var(--border-strong);
    border-radius: var(--radius);
    background: var(--bg);
    color: var(--text);
    cursor: pointer;
    white-space: nowrap;
  }
  button:hover { background: var(--bg-hover); }
  button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, a:focus-visible, [tabindex]:not([tabindex='-1']):focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 1px;
  }
  button.primary { background: var(--accent); border-color: var(--accent); color: white; }
  button.primary:hover { background: var(--accent-hover); }
  button.danger { color: var(--danger); border-color: #fca5a5; }
  button.danger:hover { background: var(--danger-soft); }
  button.ghost { border-color: transparent; background: transparent; }
  button.ghost:hover { background: var(--bg-hover); }
  button[disabled] { opacity: 0.55; cursor: default; }
  input, select, textarea {
    font: inherit;
    height: 30px;
    padding: 0 8px;
    border: 1px solid var(--border-strong);
    border-radius: var(--radius);
    background: var(--bg);
    color: var(--text);
    min-width: 0;
  }
  input[type='checkbox'] { height: auto; accent-color: var(--accent); }
  label { display: grid; gap: 4px; color: var(--text-muted); font-size: 12px; font-weight: 500; }
  .error-text { color: var(--danger); font-size: 12px; }
  .muted { color: var(--text-muted); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
