import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One generated plugin: where it is and what it contributes. */
export interface GeneratedPlugin {
  readonly id: string;
  readonly folder: string;
  /** Its object, `<id>_item`, with a `title` text field. */
  readonly object: string;
  readonly bundleBytes: number;
}

/**
 * Filler in the shape of bundled plugin code: small helper functions (parsed by V8, compiled when called)
 * and tables of strings, as esbuild leaves them for a plugin with a few dependencies. `n` makes each
 * plugin's text unique, so no two isolates could share it.
 */
function filler(n: number, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = i % 2 === 0
      ? `function h${n}_${i}(input) {\n  const out = [];\n  for (const key of Object.keys(input || {})) {\n    if (key.startsWith("f${i}_")) out.push(key + ":" + String(input[key]).slice(0, ${(i % 40) + 8}));\n  }\n  return out.length > ${i % 7} ? out.join(";") : null;\n}\n`
      : `const t${n}_${i} = [${Array.from({ length: 12 }, (_, j) => `"label ${n}.${i}.${j} ${'x'.repeat((i + j) % 24)}"`).join(', ')}];\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

/**
 * A plugin with an object, a route (`GET /ping`: one `records.find` on its object) and a subscription to
 * `record.created` on its object (the handler marks the new record `handled`), and a server bundle of
 * about `bundleKb` KB.
 */
export async function writeGeneratedPlugin(root: string, index: number, bundleKb: number): Promise<GeneratedPlugin> {
  const id = `bench${String(index).padStart(2, '0')}`;
  const object = `${id}_item`;
  const folder = join(root, id);
  const bundle = `(() => {
${filler(index, bundleKb * 1024)}
globalThis.__mosaicPlugin = {
  routes: {
    async ping(ctx) {
      const found = await ctx.host.records.find(${JSON.stringify(object)}, { limit: 5 });
      return { plugin: ${JSON.stringify(id)}, records: found.data.length, probe: h${index}_0({ f0_a: 1 }) };
    },
  },
  events: {
    async itemCreated(ctx, event) {
      const record = event.payload.record;
      if (record.title !== 'handled') await ctx.host.records.update(${JSON.stringify(object)}, record.id, { title: 'handled' });
    },
  },
};
})();
`;
  const manifest = {
    id,
    name: `Bench plugin ${index}`,
    version: '1.0.0',
    kernel: '^1.0.0',
    server: 'dist/server.js',
    permissions: { events: { subscribe: ['record.created'] } },
    objects: [{ name: object, label_singular: `Item ${index}`, fields: [{ name: 'title', type: 'text' }] }],
    routes: [{ method: 'GET', path: '/ping', handler: 'ping' }],
    events: [{ type: 'record.created', objects: [object], handler: 'itemCreated' }],
  };
  await mkdir(join(folder, 'dist'), { recursive: true });
  await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(folder, 'dist', 'server.js'), bundle);
  return { id, folder, object, bundleBytes: Buffer.byteLength(bundle) };
}
