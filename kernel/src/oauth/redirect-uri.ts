import { MosaicError } from '../errors/index.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** Schemes that must never receive a code: they run or read something in the browser itself. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'blob:', 'vbscript:', 'about:', 'ws:', 'wss:']);

const refuse = (uri: string, why: string) =>
  new MosaicError('MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID', `The redirect URI ${JSON.stringify(uri.slice(0, 200))} is not allowed: ${why}.`, [{ path: 'redirect_uris', message: why }]);

/** Whether a URL is an http redirect to this machine (a native app's loopback listener). */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Checks a redirect URI a client registers (OAuth 2.1 §2.3.1 and §8.4.2): absolute, no fragment, no user
 * information; https for web clients, http only for a loopback listener, or a private-use scheme of a
 * native app (`com.example.app:/callback`, `cursor://…`). Returns it unchanged, since matching is exact.
 */
export function checkRedirectUri(uri: string): string {
  if (uri.length > 2000) throw refuse(uri, 'it is longer than 2000 characters');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw refuse(uri, 'it is not an absolute URL');
  }
  if (url.hash !== '' || uri.includes('#')) throw refuse(uri, 'it must not have a fragment');
  if (url.username !== '' || url.password !== '') throw refuse(uri, 'it must not carry a user name or password');
  if (FORBIDDEN_SCHEMES.has(url.protocol)) throw refuse(uri, `the ${url.protocol} scheme cannot receive a code`);
  if (url.protocol === 'http:' && !isLoopback(url)) throw refuse(uri, 'plain http is allowed only for 127.0.0.1, [::1] or localhost');
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === '') throw refuse(uri, 'it has no host');
  return uri;
}

/**
 * Whether a redirect URI of a request matches one the client registered: exactly, or — for a loopback
 * listener — in everything but the port, because a native app picks a free port at run time (OAuth 2.1
 * §8.4.2, RFC 8252 §7.3).
 */
export function redirectUriMatches(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return false;
  }
  if (!isLoopback(url) || url.hash !== '') return false;
  return registered.some((r) => {
    try {
      const reg = new URL(r);
      return isLoopback(reg) && reg.hostname === url.hostname && reg.pathname === url.pathname && reg.search === url.search;
    } catch {
      return false;
    }
  });
}

/**
 * The CSP `form-action` source a consent form needs to redirect to this URI: browsers check the target of
 * a redirect that follows a form submission against `form-action` too.
 */
export function formActionSource(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}
