import type { FastifyReply } from 'fastify';
import { CONTENT_SECURITY_POLICY } from '../ui/index.js';

/** The stylesheet of the authorization pages, served from `/oauth/page.css` (no inline style under the CSP). */
export const PAGE_CSS = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
main{max-width:28rem;margin:10vh auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin:0 0 1rem}
ul{padding-left:1.2rem}
code{font-size:.9em}
.muted{color:#5b6472;font-size:.9rem}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button,.button{font:inherit;padding:.5rem 1.2rem;border-radius:8px;border:1px solid #c5cad3;background:#fff;cursor:pointer;color:inherit;text-decoration:none}
button.primary{background:#2b59c3;border-color:#2b59c3;color:#fff}
`;

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Sends a server-rendered page under the shell's Content-Security-Policy (no script at all), with
 * `form-action` widened only to `extraFormAction`: browsers apply `form-action` to the redirect that follows
 * the consent form, which goes to the client's redirect URI.
 */
export function sendPage(reply: FastifyReply, status: number, title: string, body: string, extraFormAction?: string): FastifyReply {
  const csp = extraFormAction ? CONTENT_SECURITY_POLICY.replace("form-action 'self'", `form-action 'self' ${extraFormAction}`) : CONTENT_SECURITY_POLICY;
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the page's own forms, which the
    // sign-in form's login-CSRF check must be able to recognise. Other origins still get no Referer.
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)} · Mosaic</title><link rel="stylesheet" href="/oauth/page.css"></head>` +
        `<body><main>${body}</main></body></html>`,
    );
}

/** A page for a request that cannot be sent back to the client (unknown client, unregistered redirect URI). */
export function errorPage(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return sendPage(reply, status, 'Authorization failed', `<h1>This authorization request cannot continue</h1><p>${escapeHtml(message)}</p><p class="muted"><code>${escapeHtml(code)}</code></p>`);
}
