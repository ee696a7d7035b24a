import os from 'node:os';

/** Facts about the machine a benchmark ran on, so results can be compared across runs. */
export interface MachineFacts {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly postgres: string;
}

/** Gathers the facts; `postgres` is the server's `select version()`. */
export function machineFacts(postgresVersion: string): MachineFacts {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    postgres: postgresVersion,
  };
}

/** The facts as markdown bullet lines. */
export function machineMarkdown(facts: MachineFacts): string {
  return [
    `- CPU: ${facts.cpuModel} × ${facts.cpuCount}`,
    `- Memory: ${facts.memoryGiB} GiB`,
    `- OS: ${facts.platform}`,
    `- Node: ${facts.node}`,
    `- PostgreSQL: ${facts.postgres}`,
  ].join('\n');
}
