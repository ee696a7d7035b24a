/** A response as the test kernel's `request` returns it. */
export interface TestResponse<T = unknown> {
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, ` (except `set-cookie`, see `cookies`). */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON parsed when the response is JSON, the text otherwise, null when empty. */
  readonly body: T;
}

/** Sends one request to `base` and reads the whole answer. */
export async function send<T = unknown>(base: string, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<TestResponse<T> & { cookies: string[] }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers = { ...headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(new URL(path, base), init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let parsed: unknown = text === '' ? null : text;
  if (text !== '' && /\bjson\b/.test(type)) parsed = JSON.parse(text);
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    out[name] = value;
  });
  return { status: res.status, headers: out, body: parsed as T, cookies: res.headers.getSetCookie() };
}

/** `{ error: { code, message } }` of a kernel error answer, as one line. */
export function describeError(res: TestResponse): string {
  const error = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
  return error ? `${res.status} ${error.code ?? ''}: ${error.message ?? ''}` : `${res.status} ${JSON.stringify(res.body)?.slice(0, 500)}`;
}
