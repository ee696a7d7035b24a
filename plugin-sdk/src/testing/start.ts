import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE, type PluginPermissions } from '../manifest/types.js';
import { SdkError } from '../sdk-error.js';
import { describeError, send, type TestResponse } from './client.js';
import { createThrowawayDatabase, DEFAULT_DATABASE_URL, type ThrowawayDatabase } from './database.js';
import { hasNoNodeSnapshot, loadKernelModule, type BuiltKernel } from './kernel-module.js';

/** Options of {@link startTestKernel}. */
export interface TestKernelOptions {
  /** Plugin folders to install, in order (absolute, or relative to the working directory). */
  readonly plugins?: readonly string[];
  /**
   * Kernel configuration variables (see `docs/api.md`), over the test defaults `LOG_LEVEL=silent`, a
   * high sign-in rate limit and `PLUGINS_CONFIG=off` (only the plugins named here are installed). `DATABASE_URL` names the server the throwaway database is created on.
   * `PLUGIN_DIRS` is extended with the folders holding `plugins`.
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** A running kernel on a throwaway database, with an owner, an admin API key and the plugins installed. */
export interface TestKernel {
  /** The base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** An admin API key of the owner's workspace (`Authorization: Bearer <key>`). */
  readonly apiKey: string;
  readonly workspaceId: string;
  /** The throwaway database, for tests that look at tables directly; dropped by `close`. */
  readonly databaseUrl: string;
  /** The kernel's installation JSON of each plugin, by plugin id. */
  readonly plugins: Readonly<Record<string, unknown>>;
  /**
   * Calls the API with the admin key. `path` starts with `/` (`/api/plugins/acme/summary`); `body`
   * is sent as JSON. Never throws on an error status: assert on `status`.
   */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<TestResponse<T>>;
  /** Stops the kernel and drops its database. Safe to call twice. */
  close(): Promise<void>;
}

async function readManifest(folder: string): Promise<{ id: string; permissions: PluginPermissions }> {
  try {
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as { id?: unknown; permissions?: PluginPermissions };
    return { id: String(manifest.id), permissions: manifest.permissions ?? {} };
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_TESTING_INSTALL', `Could not read ${join(folder, MANIFEST_FILE)}: ${(error as Error).message}`, [], { cause: error });
  }
}

/** Signs up an owner with a new workspace and makes an admin API key for it. */
async function ownerKey(url: string): Promise<{ apiKey: string; workspaceId: string }> {
  const signUp = await send<{ workspace?: { id: string }; csrf_token?: string }>(url, 'POST', '/api/auth/sign-up', {
    email: `owner-${randomBytes(5).toString('hex')}@example.test`,
    password: randomBytes(18).toString('base64url'),
    name: 'Test Owner',
    workspace_name: 'Plugin tests',
  }, {});
  const cookie = signUp.cookies.find((c) => c.startsWith('mosaic_session='))?.split(';')[0];
  if (signUp.status >= 300 || !cookie || !signUp.body.workspace || !signUp.body.csrf_token) {
    throw new SdkError('MOSAIC_ERR_TESTING_SETUP', `The test kernel could not sign up its owner: ${describeError(signUp)}`);
  }
  const key = await send<{ key?: string }>(url, 'POST', '/api/workspace/api-keys', { name: 'plugin tests', role: 'admin' }, { cookie, 'x-csrf-token': signUp.body.csrf_token });
  if (key.status !== 201 || typeof key.body.key !== 'string') {
    throw new SdkError('MOSAIC_ERR_TESTING_SETUP', `The test kernel could not create its API key: ${describeError(key)}`);
  }
  return { apiKey: key.body.key, workspaceId: signUp.body.workspace.id };
}

/**
 * Starts a real kernel for a plugin's tests: a throwaway PostgreSQL database (on `DATABASE_URL`, or
 * `postgres://postgres@127.0.0.1:5432/postgres`), the kernel listening on 127.0.0.1 at a free port, an
 * owner with an admin API key, and each folder of `plugins` installed through `POST /api/plugins` with
 * the grant the manifest asks for — as an admin consenting to exactly that would. Close it when done:
 *
 * ```ts
 * const kernel = await startTestKernel({ plugins: [new URL('..', import.meta.url).pathname] });
 * after(() => kernel.close());
 * const res = await kernel.request('GET', '/api/plugins/acme.notes/summary');
 * ```
 *
 * The kernel is imported at run time (`@mosaic/kernel`), and its sandbox needs Node started with
 * `--no-node-snapshot` (`mosaic-plugin test` does both).
 *
 * @throws SdkError `MOSAIC_ERR_TESTING_NODE_FLAGS`, `…_KERNEL_UNAVAILABLE`, `…_DATABASE`, `…_SETUP` or
 * `…_INSTALL`; whatever was started is stopped and dropped first.
 */
export async function startTestKernel(options: TestKernelOptions = {}): Promise<TestKernel> {
  if (!hasNoNodeSnapshot()) {
    throw new SdkError('MOSAIC_ERR_TESTING_NODE_FLAGS', 'Start Node with --no-node-snapshot (or put it in NODE_OPTIONS): the kernel runs plugin code in isolated-vm, which needs it.');
  }
  const folders = (options.plugins ?? []).map((folder) => resolve(folder));
  const given = options.env ?? {};
  const kernelModule = await loadKernelModule();
  // The kernel only installs from folders strictly inside PLUGIN_DIRS, so each folder's parent is added.
  const pluginDirs = [...new Set([...(given.PLUGIN_DIRS ?? '').split(',').map((d) => d.trim()).filter(Boolean), ...folders.map((f) => dirname(f))])];
  // A test kernel runs the plugins the test names, not whatever plugins.config.json the cwd happens to hold.
  const env = { LOG_LEVEL: 'silent', SIGNIN_RATE_LIMIT: '10000', PLUGINS_CONFIG: 'off', ...given, ...(pluginDirs.length > 0 ? { PLUGIN_DIRS: pluginDirs.join(',') } : {}) };
  const config = kernelModule.loadConfig(env, process.cwd());
  const database: ThrowawayDatabase = await createThrowawayDatabase(given.DATABASE_URL || process.env.DATABASE_URL || DEFAULT_DATABASE_URL);

  let kernel: BuiltKernel | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    try {
      await kernel?.close();
    } finally {
      await database.drop();
    }
  };

  try {
    kernel = await kernelModule.createKernel({ config, databaseUrl: database.url, logger: env.LOG_LEVEL === 'silent' ? false : undefined });
    const address = await kernel.app.listen({ host: '127.0.0.1', port: 0 });
    const url = new URL(address).origin;
    const { apiKey, workspaceId } = await ownerKey(url);
    const auth = { authorization: `Bearer ${apiKey}` };
    const plugins: Record<string, unknown> = {};
    for (const folder of folders) {
      const manifest = await readManifest(folder);
      const res = await send(url, 'POST', '/api/plugins', { path: folder, grant: manifest.permissions }, auth);
      if (res.status !== 201) throw new SdkError('MOSAIC_ERR_TESTING_INSTALL', `The kernel refused to install ${folder}: ${describeError(res)}`);
      plugins[manifest.id] = res.body;
    }
    return {
      url,
      apiKey,
      workspaceId,
      databaseUrl: database.url,
      plugins,
      async request<T = unknown>(method: string, path: string, body?: unknown): Promise<TestResponse<T>> {
        const { cookies: _cookies, ...res } = await send<T>(url, method.toUpperCase(), path, body, auth);
        return res;
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
