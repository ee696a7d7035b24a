import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { SdkError } from '../sdk-error.js';
import { buildCommand } from './build.js';

export { bundleServer } from './build.js';
export type { CliIo, TextSink } from './io.js';
import { devCommand } from './dev.js';
import { printError, processIo, type CliIo } from './io.js';
import { keygenCommand } from './keygen.js';
import { newCommand } from './new.js';
import { packCommand } from './pack.js';
import { publishCommand } from './publish.js';
import { testCommand } from './test.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Builds the `mosaic-plugin` program, writing to `io`. */
function program(io: CliIo): Command {
  const cli = new Command('mosaic-plugin')
    .description('Create, build, test, hot-reload and package Mosaic CRM plugins.')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors are printed by runCli, in the CLI's one-line coded format.
      outputError: () => undefined,
    });
  for (const register of [newCommand, buildCommand, testCommand, devCommand, packCommand, keygenCommand, publishCommand]) register(cli, io);
  for (const command of cli.commands) command.exitOverride().configureOutput({ outputError: () => undefined, writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) });
  return cli;
}

/**
 * Runs `mosaic-plugin` with `argv` (the arguments after the program name) and returns the exit code:
 * 0 on success, 1 on any error, printed as `error <CODE>: <message>` with one indented line per detail.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await program(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      if (error.exitCode === 0) return 0;
      printError(io, new SdkError('MOSAIC_ERR_CLI_USAGE', `${error.message.replace(/^error: /, '')}; see mosaic-plugin --help.`));
      return 1;
    }
    printError(io, error);
    return 1;
  }
}
