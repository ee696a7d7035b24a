import autocannon, { type AutocannonRequest, type RawResult } from 'autocannon';
import { profiled } from './profiler.js';

/** One load scenario against one server: what to send and how hard. */
export interface LoadSpec {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Varies the path per request (e.g. rotating record ids); otherwise the url's path is used. */
  readonly nextPath?: () => string;
  readonly connections: number;
}

/** What a measured run produced, in the units the reports use. */
export interface LoadResult {
  /** Completed requests per second over the measured time. */
  readonly rps: number;
  /** Milliseconds, from the merged latency histogram of every slice. */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Non-2xx answers, socket errors and timeouts: any of these makes the run invalid. */
  readonly failures: number;
  /**
   * This process's CPU time (user + system, all threads) per completed request, load generator
   * included. Other work on a shared machine barely moves it, unlike req/s, so the API − plain
   * difference is a steadier measure of the API's extra cost per request.
   */
  readonly cpuUsPerRequest: number;
}

/** How long to warm up and measure, and in how many slices the measured time is cut. */
export interface CompareTiming {
  /** Seconds of load per server whose results are thrown away, so JIT, pools and caches are warm. */
  readonly warmupSeconds: number;
  /** Measured seconds per server, in total. */
  readonly durationSeconds: number;
  /** Even number of slices the measured time is cut into; see {@link compare}. */
  readonly slices: number;
  /** When set, a CPU profile of the measured slices (not the warm-up) is written to this file. */
  readonly cpuProfile?: string;
}

function run(spec: LoadSpec, duration: number) {
  const { nextPath } = spec;
  const requests: AutocannonRequest[] | undefined = nextPath
    ? [{ setupRequest: (request) => ({ ...request, path: nextPath() }) }]
    : undefined;
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    duration,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    requests,
    skipAggregateResult: true,
  });
}

interface Slice {
  readonly raw: RawResult;
  readonly cpuUs: number;
}

async function slice(spec: LoadSpec, duration: number): Promise<Slice> {
  const before = process.cpuUsage();
  const raw = await run(spec, duration);
  const used = process.cpuUsage(before);
  return { raw, cpuUs: used.user + used.system };
}

function combine(spec: LoadSpec, slices: Slice[]): LoadResult {
  const raws = slices.map((s) => s.raw);
  const merged = autocannon.aggregateResult(raws, { url: spec.url, connections: spec.connections });
  const requests = raws.reduce((n, r) => n + r.totalCompletedRequests, 0);
  const seconds = raws.reduce((n, r) => n + r.duration, 0);
  return {
    rps: requests / seconds,
    p50: merged.latency.p50,
    p99: merged.latency.p99,
    requests,
    failures: raws.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    cpuUsPerRequest: slices.reduce((n, s) => n + s.cpuUs, 0) / requests,
  };
}

/**
 * Measures several servers under the same load, interleaved in A-B-B-A order (A B C C B A for three),
 * so a change in background load during the run — a busy shared machine — falls on every server
 * alike instead of on whichever happened to run last.
 */
export async function compare<K extends string>(specs: Readonly<Record<K, LoadSpec>>, timing: CompareTiming): Promise<Record<K, LoadResult>> {
  const keys = Object.keys(specs) as K[];
  if (timing.warmupSeconds > 0) for (const key of keys) await run(specs[key], timing.warmupSeconds);
  const measured = new Map<K, Slice[]>(keys.map((k) => [k, []]));
  const sliceSeconds = timing.durationSeconds / timing.slices;
  await profiled(timing.cpuProfile, async () => {
    for (let i = 0; i < timing.slices; i++) {
      const order = i % 2 === 0 ? keys : [...keys].reverse();
      for (const key of order) measured.get(key)!.push(await slice(specs[key], sliceSeconds));
    }
  });
  return Object.fromEntries(keys.map((k) => [k, combine(specs[k], measured.get(k)!)])) as Record<K, LoadResult>;
}
