/**
 * Small helpers shared by the sandbox benchmarks: interleaved rounds, percentiles, and the machine facts
 * that matter for sub-millisecond timings (CPU count, the CPUs this process may use, load average).
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';

/** One measured round of one variant: wall time and process CPU time (all threads), in µs. */
export interface Sample {
  readonly wallUs: number;
  readonly cpuUs: number;
}

/** Time `fn` once, in wall and process CPU µs. */
export async function sample(fn: () => Promise<unknown>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wallUs = (performance.now() - start) * 1000;
  const used = process.cpuUsage(cpu);
  return { wallUs, cpuUs: used.user + used.system };
}

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Median, 10th and 90th percentile. */
export interface Spread {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: percentile(values, 50), p10: percentile(values, 10), p90: percentile(values, 90) };
}

/**
 * Run every variant once per round, `warmup` rounds discarded, then `rounds` recorded. The order rotates
 * each round, so a slow spell on the machine (these timings move with the hypervisor's scheduling) falls
 * on every variant alike instead of on whichever ran last.
 */
export async function interleave<K extends string>(
  variants: Readonly<Record<K, () => Promise<unknown>>>,
  rounds: number,
  warmup: number,
): Promise<Record<K, Sample[]>> {
  const keys = Object.keys(variants) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as Sample[]])) as Record<K, Sample[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[(round + i) % keys.length] as K;
      const s = await sample(variants[key]);
      if (round >= warmup) out[key].push(s);
    }
  }
  return out;
}

/** One line describing the machine and how loaded it was, for the results table. */
export function machineLine(): string {
  const list = cpus();
  let allowed = '';
  try {
    allowed = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  } catch {
    // Not Linux; nothing to add.
  }
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}${allowed ? ` (this process may use CPUs ${allowed})` : ''} · Node ${process.version} · isolated-vm 5.0.4 · load average ${load}`;
}

/** `n` with `digits` decimals. */
export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}
