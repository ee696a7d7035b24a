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
</head>
<body>
<mosaic-app></mosaic-app>
<noscript>Mosaic CRM needs JavaScript.</noscript>
</body>
</html>
`;
}
