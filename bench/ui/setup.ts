import type { AddressInfo } from 'node:net';
import { createKernel, loadConfig, type Kernel } from '../../kernel/src/index.js';

/** Records the benchmark lists and scrolls through. */
export const ROWS = 10_000;

/** The kernel under test, listening, with a workspace, a signed-in browser session and `deal` rows. */
export interface UiBenchKernel {
  readonly kernel: Kernel;
  readonly baseUrl: string;
  /** `mosaic_session=…` of the workspace owner. */
  readonly cookie: string;
}

const STAGES = ['lead', 'qualified', 'proposal', 'won', 'lost'] as const;

async function call(baseUrl: string, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res;
}

/**
 * Builds the kernel in-process on `databaseUrl` and prepares it through its HTTP API as a client would:
 * sign-up, a `deal` object of six fields and {@link ROWS} records through the batch API.
 */
export async function startUiBenchKernel(databaseUrl: string): Promise<UiBenchKernel> {
  const kernel = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off' }), databaseUrl, logger: false });
  try {
    await kernel.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
    const signUp = await call(baseUrl, 'POST', '/api/auth/sign-up', { email: 'bench-ui@example.test', password: 'correct horse battery staple', name: 'Bench', workspace_name: 'Bench' }, {});
    const { csrf_token } = (await signUp.json()) as { csrf_token: string };
    const cookie = signUp.headers.getSetCookie().find((c) => c.startsWith('mosaic_session='))?.split(';')[0];
    if (!cookie) throw new Error('sign-up set no session cookie');
    const headers = { cookie, 'x-csrf-token': csrf_token };
    await call(baseUrl, 'POST', '/api/metadata/objects', {
      name: 'deal',
      label_singular: 'Deal',
      label_plural: 'Deals',
      fields: [
        { name: 'name', type: 'text' },
        { name: 'stage', type: 'select', options: { options: STAGES.map((value) => ({ value, label: value[0]!.toUpperCase() + value.slice(1) })) } },
        { name: 'employees', type: 'number' },
        { name: 'contact_email', type: 'email' },
        { name: 'close_date', type: 'date' },
        { name: 'active', type: 'boolean' },
      ],
    }, headers);
    for (let from = 0; from < ROWS; from += 1000) {
      const records = Array.from({ length: Math.min(1000, ROWS - from) }, (_, k) => {
        const i = from + k;
        return {
          name: `Deal ${String(i).padStart(5, '0')}`,
          stage: STAGES[i % STAGES.length],
          employees: (i * 37) % 5000,
          contact_email: `buyer${i}@example.test`,
          close_date: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
          active: i % 3 !== 0,
        };
      });
      await call(baseUrl, 'POST', '/api/objects/deal/batch', { records }, headers);
    }
    return { kernel, baseUrl, cookie };
  } catch (err) {
    await kernel.close();
    throw err;
  }
}
