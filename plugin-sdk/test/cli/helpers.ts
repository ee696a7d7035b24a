import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/index.js';

/** What one in-process CLI run printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A growing text buffer with a way to wait for a line, for long-running commands such as `dev`. */
export class Output {
  text = '';
  #waiters: { pattern: RegExp; from: number; resolve: () => void }[] = [];

  write(chunk: string): void {
    this.text += chunk;
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pattern.test(this.text.slice(w.from))) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when `pattern` appears after position `from` (default: now). */
  waitFor(pattern: RegExp, timeoutMs = 30_000, from = this.text.length): Promise<void> {
    if (pattern.test(this.text.slice(from))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${this.text}`)), timeoutMs);
      this.#waiters.push({ pattern, from, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/** Runs `mosaic-plugin <args>` in-process, in `cwd`, capturing its output. */
export async function cli(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined>; signal?: AbortSignal; stdout?: Output; stderr?: Output }): Promise<CliRun> {
  const stdout = options.stdout ?? new Output();
  const stderr = options.stderr ?? new Output();
  const code = await runCli(args, { stdout, stderr, cwd: options.cwd, env: options.env ?? process.env, ...(options.signal ? { signal: options.signal } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary directory (real path, so comparisons with resolved paths hold). */
export async function tempDir(label: string): Promise<string> {
  return realpath(await mkdtemp(join(tmpdir(), `mosaic-sdk-${label}-`)));
}

/** Creates the scaffold `acme.notes` (or `id`) in a new temporary directory and returns its folder. */
export async function scaffold(label: string, id = 'acme.notes'): Promise<{ root: string; folder: string }> {
  const root = await tempDir(label);
  const run = await cli(['new', id], { cwd: root });
  if (run.code !== 0) throw new Error(`new failed: ${run.stderr}`);
  return { root, folder: join(root, id) };
}
