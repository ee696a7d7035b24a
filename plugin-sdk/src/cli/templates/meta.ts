import type { ScaffoldNames } from './names.js';

/** The scaffold's `package.json`: scripts that run the CLI; the SDK as its one development dependency. */
export function packageTemplate(n: ScaffoldNames): Record<string, unknown> {
  return {
    name: n.packageName,
    version: '0.1.0',
    private: true,
    type: 'module',
    description: `${n.title}: a Mosaic CRM plugin.`,
    scripts: {
      build: 'mosaic-plugin build',
      test: 'mosaic-plugin test',
      dev: 'mosaic-plugin dev',
      package: 'mosaic-plugin pack',
      typecheck: 'tsc -p tsconfig.json',
    },
    devDependencies: { '@mosaic/plugin-sdk': '0.1.0', '@types/node': '20.19.0', typescript: '5.9.3' },
  };
}

/** A stand-alone `tsconfig.json`: type checks only; esbuild and tsx compile. */
export function tsconfigTemplate(): Record<string, unknown> {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM'],
      strict: true,
      isolatedModules: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['src', 'test'],
  };
}

/** `.gitignore`: build output and packed archives. */
export const GITIGNORE = 'node_modules/\ndist/\n*.tgz\n';

/** The scaffold's README: what the plugin does and the five commands. */
export function readmeTemplate(n: ScaffoldNames): string {
  return `# ${n.title}

A Mosaic CRM plugin (\`${n.id}\`): a \`${n.object}\` object, routes under \`/api/plugins/${n.id}/\`, an event
handler counting new notes, a daily job, and a page in the navigation.

| File | What it is |
|---|---|
| \`mosaic-plugin.json\` | The manifest: everything the kernel knows before running any code. |
| \`src/server.ts\` | Route, event and job handlers (\`definePlugin\`), run in the kernel's sandbox. |
| \`src/views.ts\` | The \`<${n.element}>\` custom element. |
| \`test/plugin.test.ts\` | Tests: a handler called directly, and the plugin installed in a real kernel. |

## Commands

\`\`\`sh
mosaic-plugin build            # check the manifest, bundle dist/server.js and dist/views.js
mosaic-plugin test             # build, then run test/**/*.test.ts against a real kernel (needs PostgreSQL)
mosaic-plugin dev --kernel http://localhost:3000 --api-key <admin key>   # rebuild and hot-reload on save
mosaic-plugin pack             # ${n.id}-<version>.tgz with files.json (SHA-256 of every file)
\`\`\`

\`test\` creates a throwaway database on \`DATABASE_URL\` (default \`postgres://postgres@127.0.0.1:5432/postgres\`).
\`dev\` needs the kernel to allow this folder: its \`PLUGIN_DIRS\` must include the folder that holds it.
See the kernel's \`docs/plugins.md\` for the manifest, the host API and the CLI.
`;
}
