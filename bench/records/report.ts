import type { LoadResult } from '../lib/load.js';
import { machineMarkdown, type MachineFacts } from '../lib/machine.js';

/** One scenario measured against both servers (either may be absent in a partial run). */
export interface ScenarioResult {
  readonly label: string;
  /** The smallest acceptable API/plain throughput ratio. */
  readonly goal: number;
  readonly api?: LoadResult;
  readonly plain?: LoadResult;
}

/** How the run was set up, for the header of the report. */
export interface RunFacts {
  readonly date: Date;
  readonly rows: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly poolMax: number;
  readonly slices: number;
  /** 1-minute load average when measuring began and ended; high values mean other work shared the CPU. */
  readonly loadAverage: readonly [number, number];
  readonly command: string;
  readonly machine: MachineFacts;
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
const cell = (r: LoadResult | undefined) => (r ? `${num(r.rps)}${r.failures > 0 ? ` ⚠ ${r.failures} failed` : ''}` : '–');
const latency = (r: LoadResult | undefined) => (r ? `${ms(r.p50)} / ${ms(r.p99)}` : '–');

const cpuCell = (s: ScenarioResult) => [s.api, s.plain].map((r) => (r ? Math.round(r.cpuUsPerRequest).toString() : '–')).join(' / ');

function verdict(s: ScenarioResult): { ratio: string; status: string } {
  if (!s.api || !s.plain) return { ratio: '–', status: '–' };
  if (s.api.failures > 0 || s.plain.failures > 0) return { ratio: '–', status: 'invalid (failed requests)' };
  const ratio = s.api.rps / s.plain.rps;
  return { ratio: `${ratio.toFixed(2)}×`, status: ratio >= s.goal ? 'meets' : '**misses**' };
}

/** The results as a markdown table. */
export function resultsTable(scenarios: readonly ScenarioResult[]): string {
  const lines = [
    '| Scenario | API req/s | API p50 / p99 ms | Plain req/s | Plain p50 / p99 ms | API / plain | Goal | Result | CPU µs/req API / plain |',
    '|---|--:|--:|--:|--:|--:|--:|---|--:|',
  ];
  for (const s of scenarios) {
    const v = verdict(s);
    lines.push(`| ${s.label} | ${cell(s.api)} | ${latency(s.api)} | ${cell(s.plain)} | ${latency(s.plain)} | ${v.ratio} | ≥ ${s.goal}× | ${v.status} | ${cpuCell(s)} |`);
  }
  return lines.join('\n');
}

/** The whole report: table, setup, machine and the command that produced it. */
export function resultsMarkdown(scenarios: readonly ScenarioResult[], run: RunFacts): string {
  return [
    `# Records API benchmark — ${run.date.toISOString()}`,
    '',
    resultsTable(scenarios),
    '',
    `Same ${num(run.rows)}-row \`company\` table for both servers. autocannon: ${run.connections} connections; per scenario, ` +
      `${run.warmupSeconds} s warm-up per server (discarded), then ${run.durationSeconds} s measured per server in ` +
      `${run.slices} slices alternating plain, API, API, plain. Both servers use a pool of ${run.poolMax} connections. ` +
      `1-minute load average: ${run.loadAverage[0].toFixed(2)} at the start of measuring, ${run.loadAverage[1].toFixed(2)} at the end.`,
    '',
    `**Caveat:** the load generator (autocannon), the Mosaic kernel and the plain baseline all run in ONE Node process ` +
      `on a ${run.machine.cpuCount}-core machine, on loopback, with PostgreSQL on the same machine. They compete for the ` +
      `same CPU, so absolute numbers are low; the ratio is the figure to read, since both servers pay the same overhead. ` +
      `"CPU µs/req" is this process's CPU time per request, load generator included (PostgreSQL's is not): the API − plain ` +
      `difference is the API's extra Node-side cost, and it moves far less than req/s when other work shares the machine.`,
    '',
    '## Machine',
    '',
    machineMarkdown(run.machine),
    '',
    '## Command',
    '',
    '```',
    run.command,
    '```',
    '',
  ].join('\n');
}
