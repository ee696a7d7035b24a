import { isManifestError } from '../manifest/index.js';
import { isSdkError } from '../sdk-error.js';

/** A place to write text, such as `process.stdout`. */
export interface TextSink {
  write(chunk: string): unknown;
}

/**
 * What a command reads and writes besides the plugin folder: output streams, the working directory
 * and the environment. Tests pass their own to run commands in-process.
 */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ends long-running commands (`dev`) when aborted; SIGINT and SIGTERM do the same from a terminal. */
  readonly signal?: AbortSignal;
}

/** The process's own streams, directory and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Writes one line to standard output. */
export function say(io: CliIo, line: string): void {
  io.stdout.write(`${line}\n`);
}

/** Writes a warning line to standard error; warnings never change the exit code. */
export function warn(io: CliIo, line: string): void {
  io.stderr.write(`warning: ${line}\n`);
}

/**
 * Prints an error as `error <CODE>: <message>` on one line, then one indented line per detail (a
 * manifest problem with its path, an esbuild error with its file and line). Errors without a code are
 * bugs of the CLI, and say so.
 */
export function printError(io: CliIo, error: unknown): void {
  if (isManifestError(error)) {
    io.stderr.write(`error ${error.code}: the manifest has ${error.problems.length === 1 ? 'a problem' : `${error.problems.length} problems`}\n`);
    for (const p of error.problems) io.stderr.write(`  - ${p.path || '(manifest)'}: ${p.message} [${p.code}]\n`);
    return;
  }
  if (isSdkError(error)) {
    io.stderr.write(`error ${error.code}: ${error.message}\n`);
    for (const detail of error.details) io.stderr.write(`  - ${detail}\n`);
    return;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`error (unexpected, please report it): ${text}\n`);
}

/** `1234` → `1.2 kB`, in the units esbuild and npm print. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
