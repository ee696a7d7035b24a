/**
 * The part of autocannon 9's programmatic API the benchmarks use. autocannon ships no types and
 * `@types/autocannon` is not installed, so this declares just enough for strict type-checking.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface AutocannonRequest {
    method?: string;
    path?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    /** Returns the request to send; called before every request when present. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | undefined;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    method?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    requests?: AutocannonRequest[];
    title?: string;
    timeout?: number;
    /** Return the raw, mergeable result (see `aggregateResult`) instead of the summary. */
    skipAggregateResult?: boolean;
  }

  /** What a run with `skipAggregateResult` returns: encoded histograms and counters. */
  interface RawResult {
    totalCompletedRequests: number;
    totalRequests: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    /** Seconds. */
    duration: number;
  }

  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
  }

  interface AutocannonResult {
    title?: string;
    url: string;
    /** Per-second samples of completed requests. */
    requests: Histogram;
    /** Milliseconds. */
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    '2xx': number;
    /** Seconds. */
    duration: number;
    connections: number;
  }

  interface Instance<R> extends EventEmitter, PromiseLike<R> {
    stop(): void;
  }

  const autocannon: {
    (options: AutocannonOptions & { skipAggregateResult: true }): Instance<RawResult>;
    (options: AutocannonOptions): Instance<AutocannonResult>;
    /** Merges raw results of several runs; latency histograms are merged exactly, per-second samples are not. */
    aggregateResult(results: RawResult[], options: { url: string; connections?: number }): AutocannonResult;
  };

  export default autocannon;
  export type { AutocannonOptions, AutocannonRequest, AutocannonResult, Histogram, Instance, RawResult };
}
