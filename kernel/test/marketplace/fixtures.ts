import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@mosaic/plugin-sdk/cli';

const CLI = fileURLToPath(new URL('../../../plugin-sdk/bin/mosaic-plugin.js', import.meta.url));

/** Runs the `mosaic-plugin` command as an author would; resolves with its exit code and output. */
export function cli(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Runs a `mosaic-plugin` command in this process: the same argument parsing and code as the command
 * line, without starting two Node processes per call (the CLI's own tests run it as a process).
 */
export async function cliInProcess(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd, env: process.env });
  return { code, stdout, stderr };
}

/** A publisher key made by `mosaic-plugin keygen`. */
export interface PublisherKey {
  readonly keyFile: string;
  readonly pubFile: string;
  readonly keyId: string;
  readonly publicKey: string;
}

/** A plugin to publish: its manifest and a hand-written server bundle (what esbuild would make). */
export interface TestPlugin {
  readonly manifest: Record<string, unknown>;
  readonly bundle?: string;
}

/** A server bundle with one route answering `{ plugin, version }`. */
export function helloBundle(id: string, version: string): string {
  return `globalThis.__mosaicPlugin = { routes: { hello() { return { plugin: ${JSON.stringify(id)}, version: ${JSON.stringify(version)} }; } } };`;
}

/** A minimal manifest with a `GET /hello` route; `extra` overrides or adds keys. */
export function manifest(id: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `${id[0]!.toUpperCase()}${id.slice(1)} plugin`,
    version,
    kernel: '^1.0.0',
    description: `The ${id} plugin, for marketplace tests.`,
    publisher: { name: 'Acme Plugins' },
    server: 'dist/server.js',
    routes: [{ method: 'GET', path: '/hello', handler: 'hello' }],
    ...extra,
  };
}

/**
 * A marketplace folder built with the real CLI: `keygen`, then per plugin `pack --key` and `publish`.
 * Everything lives under one temp folder.
 */
export class TestMarketplace {
  readonly root: string;
  readonly dir: string;
  #count = 0;

  private constructor(root: string) {
    this.root = root;
    this.dir = join(root, 'market');
  }

  /** A new marketplace under a temp folder, removed when the test process exits. */
  static async create(label: string): Promise<TestMarketplace> {
    const root = await mkdtemp(join(tmpdir(), `mosaic-market-${label}-`));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    return new TestMarketplace(root);
  }

  /** Makes a publisher key pair with `mosaic-plugin keygen`. */
  async keygen(name: string): Promise<PublisherKey> {
    const out = join(this.root, 'keys');
    const run = await cliInProcess(['keygen', '--out', out, '--name', name], this.root);
    if (run.code !== 0) throw new Error(`keygen failed: ${run.stderr}${run.stdout}`);
    const pub = JSON.parse(await readFile(join(out, `${name}.pub.json`), 'utf8')) as { key_id: string; public_key: string };
    return { keyFile: join(out, `${name}.key`), pubFile: join(out, `${name}.pub.json`), keyId: pub.key_id, publicKey: pub.public_key };
  }

  /** Packs a plugin folder (signed with `key`, or unsigned with null) and publishes it; returns the archive path. */
  async publish(plugin: TestPlugin, key: PublisherKey | null, options: { publisher?: string } = {}): Promise<string> {
    const folder = join(this.root, 'src', `p${++this.#count}`);
    await mkdir(join(folder, 'dist'), { recursive: true });
    await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify(plugin.manifest, null, 2));
    await writeFile(join(folder, 'README.md'), `# ${String(plugin.manifest.name)}\n`);
    await writeFile(join(folder, 'dist', 'server.js'), plugin.bundle ?? helloBundle(String(plugin.manifest.id), String(plugin.manifest.version)));
    const archive = join(this.root, 'out', `${String(plugin.manifest.id)}-${String(plugin.manifest.version)}-${this.#count}.tgz`);
    const pack = await cliInProcess(['pack', folder, '--no-build', '--out', archive, ...(key ? ['--key', key.keyFile] : [])], this.root);
    if (pack.code !== 0) throw new Error(`pack failed: ${pack.stderr}${pack.stdout}`);
    const publisher = options.publisher ?? 'acme';
    const args = ['publish', archive, '--to', this.dir, '--publisher', publisher, '--publisher-name', 'Acme Plugins'];
    if (key) args.push('--public-key', key.pubFile);
    else args.push('--allow-unsigned');
    const published = await cliInProcess(args, this.root);
    if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}${published.stdout}`);
    return archive;
  }

  /** Revokes a published version with `mosaic-plugin revoke`. */
  async revoke(spec: string, reason: string): Promise<void> {
    const run = await cliInProcess(['revoke', spec, '--from', this.dir, '--reason', reason], this.root);
    if (run.code !== 0) throw new Error(`revoke failed: ${run.stderr}${run.stdout}`);
  }

  /** The index as published. */
  async index(): Promise<any> {
    return JSON.parse(await readFile(join(this.dir, 'index.json'), 'utf8'));
  }
}

/** Kernel settings that configure one marketplace and trust the given keys. */
export function marketEnv(market: TestMarketplace, keys: readonly PublisherKey[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    MARKETPLACES: market.dir,
    TRUSTED_PUBLISHER_KEYS: keys.map((k) => `${k.keyId}:${k.publicKey}`).join(','),
    MOSAIC_DATA_DIR: join(market.root, 'data', 'pg'),
    ...extra,
  };
}
