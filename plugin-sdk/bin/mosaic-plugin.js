#!/usr/bin/env node
// The `mosaic-plugin` command. The CLI is TypeScript, run the way the root `npm start` runs the kernel:
// a Node child with `--no-node-snapshot` (isolated-vm, which `test` loads through the test kernel,
// needs it) and tsx's loader. Exit codes and Ctrl-C pass straight through.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/cli/entry.ts', import.meta.url));
const child = spawn(process.execPath, ['--no-node-snapshot', '--import', import.meta.resolve('tsx'), entry, ...process.argv.slice(2)], { stdio: 'inherit' });

// A terminal's Ctrl-C reaches the whole process group; a signal sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`error (unexpected, please report it): could not start the CLI: ${error.message}`);
  process.exitCode = 1;
});
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
