import { css } from 'lit';

/** The centred card of the sign-in and sign-up pages. */
export const authCard = css`
  :host { display: grid; place-items: center; min-height: 100vh; background: var(--bg-subtle); padding: 16px; }
  form { width: min(380px, 100%); display: grid; gap: 14px; background: var(--bg); border: 1px solid var(--border); border-radius: 12px; padding: 28px; box-shadow: var(--shadow); }
  h1 { font-size: 20px; margin: 0; }
  .brand { display: flex; align-items: center; gap: 8px; font-weight: 600; color: var(--text-muted); }
  .logo { width: 22px; height: 22px; border-radius: 6px; background: linear-gradient(135deg, #6366f1, #a855f7); }
  input { height: 36px; }
  button.primary { height: 36px; justify-content: center; }
  .switch { text-align: center; color: var(--text-muted); }
  a { color: var(--accent); text-decoration: none; }
`;
