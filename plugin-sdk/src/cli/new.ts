import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { MANIFEST_FILE, validateManifest } from '../manifest/index.js';
import { SdkError } from '../sdk-error.js';
import { say, type CliIo } from './io.js';
import { manifestTemplate } from './templates/manifest.js';
import { GITIGNORE, packageTemplate, readmeTemplate, tsconfigTemplate } from './templates/meta.js';
import { scaffoldNames } from './templates/names.js';
import { serverTemplate } from './templates/server.js';
import { testTemplate } from './templates/test.js';
import { viewsTemplate } from './templates/views.js';

const DEFAULT_SCHEMA = './node_modules/@mosaic/plugin-sdk/manifest.schema.json';

/**
 * The `$schema` hint: the SDK's schema as installed for this folder (`node_modules/@mosaic/plugin-sdk`
 * in the folder or above it, as in a workspace), else where `npm install` will put it.
 */
async function schemaHint(folder: string): Promise<string> {
  for (let dir = folder; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@mosaic', 'plugin-sdk', 'manifest.schema.json');
    if (await access(candidate).then(() => true, () => false)) {
      const rel = relative(folder, candidate).split(sep).join('/');
      return rel.startsWith('.') ? rel : `./${rel}`;
    }
    if (dirname(dir) === dir) return DEFAULT_SCHEMA;
  }
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * `new <id>`: writes a plugin folder that builds and whose tests pass as written — a manifest, server
 * code with a route reading records, an event handler and a job, a view, a test and a README.
 * Returns the folder.
 */
export async function newPlugin(io: CliIo, id: string, dirOption?: string): Promise<string> {
  const folder = resolve(io.cwd, dirOption ?? id);
  const names = scaffoldNames(id, await schemaHint(folder));
  const manifest = manifestTemplate(names);
  // The id is checked by the manifest's own rules, so `new` accepts exactly what `build` will.
  const checked = validateManifest(manifest);
  if (!checked.ok) {
    const problems = checked.problems.filter((p) => p.path === 'id');
    throw new SdkError('MOSAIC_ERR_CLI_ID_INVALID', `"${id}" cannot be a plugin id.`, (problems.length > 0 ? problems : checked.problems).map((p) => `${p.path || '(manifest)'}: ${p.message}`));
  }
  const existing = await readdir(folder).catch(() => null);
  if (existing !== null && existing.length > 0) {
    throw new SdkError('MOSAIC_ERR_CLI_TARGET_EXISTS', `${folder} already exists and is not empty; pick another --dir.`);
  }
  const files: Record<string, string> = {
    [MANIFEST_FILE]: json(manifest),
    'package.json': json(packageTemplate(names)),
    'tsconfig.json': json(tsconfigTemplate()),
    '.gitignore': GITIGNORE,
    'README.md': readmeTemplate(names),
    'src/server.ts': serverTemplate(names),
    'src/views.ts': viewsTemplate(names),
    'test/plugin.test.ts': testTemplate(names),
  };
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), contents, { flag: 'wx' });
  }
  return folder;
}

/** Registers `new <id> [--dir <path>]`. */
export function newCommand(program: Command, io: CliIo): void {
  program
    .command('new')
    .description('create a plugin folder: manifest, server code, a view, a test and a README')
    .argument('<id>', 'the plugin id, e.g. acme.notes')
    .option('--dir <path>', 'the folder to create (default: ./<id>)')
    .action(async (id: string, options: { dir?: string }) => {
      const folder = await newPlugin(io, id, options.dir);
      const shown = relative(io.cwd, folder) || '.';
      say(io, `created ${id} in ${shown}`);
      say(io, `next: mosaic-plugin build ${shown} && mosaic-plugin test ${shown}`);
    });
}
