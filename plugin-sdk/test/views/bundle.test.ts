import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import t from 'tap';

// A view bundle imports @mosaic/plugin-sdk/views: it must bundle for the browser with Lit and nothing
// of the server-side SDK (the manifest validator, ajv, semver).
t.test('a view built on MosaicViewElement bundles for the browser without the server SDK', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mosaic-view-'));
  const entry = join(dir, 'views.ts');
  await writeFile(entry, `
import { MosaicViewElement, defineView, html } from '@mosaic/plugin-sdk/views';
class DealTab extends MosaicViewElement {
  override render() { return html\`<p>\${String(this.context?.record?.name ?? '…')}</p>\`; }
}
defineView('deal-tab', DealTab);
defineView('deal-tab', DealTab);
`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    absWorkingDir: process.cwd(),
    nodePaths: [join(process.cwd(), 'node_modules')],
  });
  const code = result.outputFiles[0]!.text;
  t.match(code, /customElements\.(get|define)/, 'the element is defined');
  t.notMatch(code, /ajv|semver|MOSAIC_ERR_MANIFEST/, 'no server-side SDK in the browser bundle');
  t.ok(code.length < 40_000, `the bundle is Lit plus the view: ${code.length} bytes minified`);
});
