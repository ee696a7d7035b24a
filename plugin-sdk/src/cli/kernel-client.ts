import type { PluginManifest } from '../manifest/index.js';
import { SdkError } from '../sdk-error.js';

/** What `dev` needs to talk to a running kernel. */
export interface KernelTarget {
  /** The kernel's base URL, e.g. `http://localhost:3000`. */
  readonly url: string;
  /** An API key of a role allowed to manage plugins (admin). */
  readonly apiKey: string;
}

interface Answer {
  readonly status: number;
  readonly body: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

/** `ECONNREFUSED`, `ENOTFOUND`, a timeout: what fetch's "fetch failed" hides in its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[]; message?: unknown } }).cause;
  const code = cause?.code ?? cause?.errors?.find((e) => typeof e.code === 'string')?.code;
  if (typeof code === 'string') return code;
  if ((error as Error).name === 'TimeoutError') return 'no answer within 30 s';
  return typeof cause?.message === 'string' && cause.message !== '' ? cause.message : (error as Error).message;
}

async function call(target: KernelTarget, method: string, path: string, body?: unknown): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(new URL(path, target.url), {
      method,
      headers: { authorization: `Bearer ${target.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_CLI_KERNEL_UNREACHABLE', `The kernel at ${target.url} did not answer ${method} ${path} (${networkReason(error)}).`, [], { cause: error });
  }
  const text = await res.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Answer['body']);
  } catch {
    parsed = { error: { message: text.slice(0, 300) } };
  }
  return { status: res.status, body: parsed };
}

function refused(what: string, answer: Answer): SdkError {
  const { code = `HTTP ${answer.status}`, message = 'no message' } = answer.body.error ?? {};
  return new SdkError('MOSAIC_ERR_CLI_KERNEL_REFUSED', `The kernel refused to ${what}: ${code}: ${message}`);
}

/**
 * Whether the plugin is installed in the API key's workspace. Also the first contact with the kernel,
 * so a wrong URL or key fails here, before any watching starts.
 *
 * @throws SdkError `MOSAIC_ERR_CLI_KERNEL_UNREACHABLE` or `MOSAIC_ERR_CLI_KERNEL_REFUSED`.
 */
export async function isInstalled(target: KernelTarget, pluginId: string): Promise<boolean> {
  const answer = await call(target, 'GET', '/api/plugins');
  if (answer.status !== 200) throw refused('list its plugins', answer);
  const data = Array.isArray(answer.body.data) ? (answer.body.data as { id?: unknown }[]) : [];
  return data.some((p) => p.id === pluginId);
}

/**
 * Installs the plugin from its folder (`POST /api/plugins`), or reloads it (`PUT /api/plugins/:id`),
 * granting exactly what the manifest asks. Falls over to the other call when the plugin was removed
 * or installed meanwhile.
 *
 * @throws SdkError `MOSAIC_ERR_CLI_KERNEL_REFUSED` with the kernel's code, or `…_UNREACHABLE`.
 */
export async function installOrReload(target: KernelTarget, folder: string, manifest: PluginManifest, installed: boolean): Promise<'installed' | 'reloaded'> {
  const body = { path: folder, grant: manifest.permissions ?? {} };
  const put = (): Promise<Answer> => call(target, 'PUT', `/api/plugins/${encodeURIComponent(manifest.id)}`, body);
  const post = (): Promise<Answer> => call(target, 'POST', '/api/plugins', body);
  let answer = installed ? await put() : await post();
  let action: 'installed' | 'reloaded' = installed ? 'reloaded' : 'installed';
  if (installed && answer.status === 404 && answer.body.error?.code === 'MOSAIC_ERR_PLUGIN_NOT_INSTALLED') {
    [answer, action] = [await post(), 'installed'];
  } else if (!installed && answer.status === 409 && answer.body.error?.code === 'MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED') {
    [answer, action] = [await put(), 'reloaded'];
  }
  if (answer.status < 200 || answer.status >= 300) throw refused(`${action === 'installed' ? 'install' : 'reload'} ${manifest.id} from ${folder}`, answer);
  return action;
}
