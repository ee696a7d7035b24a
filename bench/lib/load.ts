import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';

/** One load scenario against one server: what to send and how hard. */
export interface LoadSpec {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Varies the path per request (e.g. rotating record ids); otherwise the url's path is used. */
  readonly nextPath?: () => string;
  readonly connections: number;
  /** Seconds of load whose results are thrown away, so JIT, pools and caches are warm. */
  readonly warmupSeconds: number;
  /** Seconds of measured load. */
  readonly durationSeconds: number;
}

/** What a measured run produced, in the units the reports use. */
export interface LoadResult {
  /** Mean of the per-second samples of completed requests. */
  readonly rps: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Non-2xx answers, socket errors and timeouts: any of these makes the run invalid. */
  readonly failures: number;
}

function options(spec: LoadSpec, duration: number) {
  const { nextPath } = spec;
  const requests: AutocannonRequest[] | undefined = nextPath
    ? [{ setupRequest: (request) => ({ ...request, path: nextPath() }) }]
    : undefined;
  return {
    url: spec.url,
    connections: spec.connections,
    duration,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    requests,
  };
}

function summarise(result: AutocannonResult): LoadResult {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Warms up, then measures. Both phases use the same request shape and connection count. */
export async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSeconds > 0) await autocannon(options(spec, spec.warmupSeconds));
  return summarise(await autocannon(options(spec, spec.durationSeconds)));
}
