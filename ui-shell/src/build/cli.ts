import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildShell } from './build.js';

/**
 * `npm run build -w ui-shell`: writes the shell to `ui-shell/dist` (index.html and assets/), the same
 * files the kernel serves, for inspection or a static host.
 */
const out = resolve(process.argv[2] ?? 'dist');
const shell = await buildShell();
await mkdir(join(out, 'assets'), { recursive: true });
await writeFile(join(out, 'index.html'), shell.indexHtml);
for (const asset of shell.assets.values()) {
  await writeFile(join(out, 'assets', asset.name), asset.body);
  console.log(`assets/${asset.name} ${(asset.body.length / 1024).toFixed(1)} KB`);
}
console.log(`built the shell into ${out}`);
