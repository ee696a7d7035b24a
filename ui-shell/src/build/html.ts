/**
 * The API answers every page needs first (`mosaic-app.ts` asks for them together). Preloaded, the browser
 * fetches them while it downloads and runs the bundle instead of after, and the app's own `fetch` of the
 * same URL takes the preloaded answer (`crossorigin="anonymous"` is a same-origin request with cookies,
 * like the app's). Signed out, they answer 401 and the app shows the sign-in page as before.
 */
const PRELOADED = ['/api/auth/session', '/api/metadata/objects', '/api/plugins'];

/**
 * The one page of the single-page app. No inline script or style (the Content-Security-Policy forbids
 * both); the bundle is an ES module, so it runs after the document is parsed.
 */
export function renderIndexHtml(entry: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mosaic CRM</title>
<script type="module" src="${entry}"></script>
${PRELOADED.map((url) => `<link rel="preload" href="${url}" as="fetch" crossorigin="anonymous">`).join('\n')}
</head>
<body>
<mosaic-app></mosaic-app>
<noscript>Mosaic CRM needs JavaScript.</noscript>
</body>
</html>
`;
}
