import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** Headers that authenticate a request (a session's cookie and CSRF token, or an API key). */
export interface Credentials {
  readonly headers: Record<string, string>;
}

/** A tiny client over `app.inject` for tests: JSON in, parsed JSON out, status kept. */
export function api(app: FastifyInstance, who: Credentials) {
  const call = async (method: InjectOptions['method'], url: string, body?: unknown): Promise<{ status: number; body: any; raw: LightMyRequestResponse }> => {
    const res = await app.inject({ method, url, headers: who.headers, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
    let parsed: unknown = undefined;
    if (res.body.length > 0) {
      try {
        parsed = res.json();
      } catch {
        parsed = res.body;
      }
    }
    return { status: res.statusCode, body: parsed, raw: res };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, body?: unknown) => call('POST', url, body ?? {}),
    put: (url: string, body: unknown) => call('PUT', url, body),
    patch: (url: string, body: unknown) => call('PATCH', url, body),
    delete: (url: string) => call('DELETE', url),
  };
}

/** The client type returned by {@link api}. */
export type Api = ReturnType<typeof api>;
