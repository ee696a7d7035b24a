import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { SdkError } from '../sdk-error.js';
import { buildPlugin, printBuild } from './build.js';
import { say, type CliIo } from './io.js';
import { SDK_REGISTER_URL, tsxLoaderUrl } from './sdk-paths.js';

const TEST_FILE = /\.test\.(ts|mts|js|mjs)$/;

/** Every test file under `test/`, sorted, skipping `node_modules`. */
async function testFiles(dir: string): Promise<string[]> {
  const walk = async (folder: string): Promise<string[]> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    const nested = await Promise.all(
      entries.map(async (entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
        return entry.isFile() && TEST_FILE.test(entry.name) ? [path] : [];
      }),
    );
    return nested.flat();
  };
  return (await walk(join(dir, 'test'))).sort();
}

/**
 * Runs test files with Node's own runner (`node --test`) rather than tap: it ships with Node, so a
 * plugin outside this repository needs nothing installed to run its tests, and `node:test` is the
 * one runner every plugin can count on. Each file runs in its own process with `--no-node-snapshot`
 * (the test kernel's sandbox needs it), tsx for TypeScript, and the SDK's resolution fallback.
 */
function runNodeTests(io: CliIo, dir: string, files: readonly string[]): Promise<number> {
  const args = ['--no-node-snapshot', '--import', tsxLoaderUrl(), '--import', SDK_REGISTER_URL, '--test', ...files.map((f) => relative(dir, f))];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: { ...io.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString('utf8')));
    const stop = (): void => {
      child.kill('SIGTERM');
    };
    io.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      io.signal?.removeEventListener('abort', stop);
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * `test [dir]`: builds the plugin, then runs `test/**\/*.test.{ts,mts,js,mjs}`.
 *
 * @throws SdkError `MOSAIC_ERR_CLI_NO_TESTS` or `MOSAIC_ERR_CLI_TESTS_FAILED`, besides build errors.
 */
export async function testPlugin(io: CliIo, dirArg?: string): Promise<void> {
  const built = await buildPlugin(io, dirArg);
  printBuild(io, built);
  const files = await testFiles(built.dir);
  if (files.length === 0) throw new SdkError('MOSAIC_ERR_CLI_NO_TESTS', `No test files in ${join(built.dir, 'test')} (*.test.ts, *.test.mts, *.test.js or *.test.mjs).`);
  say(io, `testing ${built.manifest.id}: ${files.map((f) => relative(built.dir, f)).join(', ')}`);
  const code = await runNodeTests(io, built.dir, files);
  if (code !== 0) throw new SdkError('MOSAIC_ERR_CLI_TESTS_FAILED', `The tests of ${built.manifest.id} failed (node --test exited with ${code}); the failures are above.`);
  say(io, `tests of ${built.manifest.id} passed`);
}

/** Registers `test [dir]`. */
export function testCommand(program: Command, io: CliIo): void {
  program
    .command('test')
    .description('build, then run test/**/*.test.ts with node --test against a real kernel')
    .argument('[dir]', 'the plugin folder', '.')
    .action(async (dir: string) => {
      await testPlugin(io, dir);
    });
}
