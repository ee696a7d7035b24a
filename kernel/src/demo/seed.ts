import { buildDemoDataSet, DEFAULT_DEMO_SIZE, type DemoDataSet, type DemoSize } from './dataset.js';

/** The demo account `npm start -- --demo` creates; meant for trying Mosaic on one's own machine. */
export const DEMO_ACCOUNT = { email: 'demo@mosaic.local', name: 'Demo Admin', workspace_name: 'Demo CRM' } as const;

/** What seeding did. */
export interface DemoResult {
  /** False when the demo account already existed (a restart with `--demo`): nothing was added. */
  readonly created: boolean;
  readonly email: string;
  /** Records created per object; objects whose plugin is not installed are absent. */
  readonly counts: Readonly<Record<string, number>>;
}

/** Options of {@link seedDemo}. */
export interface DemoOptions {
  /** The running kernel, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  readonly password: string;
  readonly size?: DemoSize;
  /** Called with one line per step, for the console. */
  readonly progress?: (line: string) => void;
}

const BATCH = 1000;
const ORDER: readonly (keyof DemoDataSet)[] = ['company', 'person', 'opportunity', 'note', 'task'];

class DemoApi {
  #auth: Record<string, string> = {};

  constructor(readonly baseUrl: string) {}

  useSession(cookie: string, csrf: string): void {
    this.#auth = { cookie, 'x-csrf-token': csrf };
  }

  useKey(key: string): void {
    this.#auth = { authorization: `Bearer ${key}` };
  }

  async call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.#auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`Demo data: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/**
 * Creates the demo account and workspace through the public HTTP API — the same calls any client makes,
 * so the core plugins install at sign-up as they would for a real workspace — then fills it with the
 * demo data set in batches. Fields of objects whose plugin is missing are left out rather than failing.
 */
export async function seedDemo(options: DemoOptions): Promise<DemoResult> {
  const api = new DemoApi(options.baseUrl);
  const signUp = await api.call('POST', '/api/auth/sign-up', { ...DEMO_ACCOUNT, password: options.password });
  if (signUp.status === 409) return { created: false, email: DEMO_ACCOUNT.email, counts: {} };
  if (signUp.status !== 201) throw new Error(`Demo data: sign-up answered ${signUp.status}: ${(await signUp.text()).slice(0, 500)}`);
  const cookie = signUp.headers.get('set-cookie')?.split(';')[0] ?? '';
  const session = await fetch(`${options.baseUrl}/api/auth/session`, { headers: { cookie } }).then((r) => r.json() as Promise<{ csrf_token: string; member: { id: string } }>);
  api.useSession(cookie, session.csrf_token);
  const key = await api.json<{ id: string; key: string }>('POST', '/api/workspace/api-keys', { name: 'Demo data', role: 'admin' });

  const counts: Record<string, number> = {};
  try {
    api.useKey(key.key);
    const objects = await api.json<{ data: { name: string; fields: { key: string }[] }[] }>('GET', '/api/metadata/objects');
    const data = buildDemoDataSet(session.member.id, new Date(), options.size ?? DEFAULT_DEMO_SIZE);
    for (const name of ORDER) {
      const object = objects.data.find((o) => o.name === name);
      if (!object) continue;
      const keys = new Set(['id', ...object.fields.map((f) => f.key)]);
      const rows = data[name].map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => keys.has(k))));
      for (let i = 0; i < rows.length; i += BATCH) {
        await api.json('POST', `/api/objects/${name}/batch`, { records: rows.slice(i, i + BATCH) });
      }
      counts[name] = rows.length;
      options.progress?.(`demo data: ${rows.length} ${name} records`);
    }
  } finally {
    // The key was only for seeding; a demo workspace should not keep a credential nobody asked for.
    api.useSession(cookie, session.csrf_token);
    const revoked = await api.call('DELETE', `/api/workspace/api-keys/${key.id}`).catch(() => undefined);
    if (revoked?.status !== 204) options.progress?.(`demo data: could not revoke the seeding API key "Demo data"; revoke it under Settings → API keys`);
  }
  return { created: true, email: DEMO_ACCOUNT.email, counts };
}
