import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { MANIFEST_FILE } from '../manifest/index.js';
import { PUBLISHER_ID, generateSigningKey, type PublicKeyFile } from '../package/index.js';
import { SdkError } from '../sdk-error.js';
import { say, warn, type CliIo } from './io.js';

/** What keygen wrote. */
export interface KeygenResult {
  /** The private key (PKCS#8 PEM, mode 0600). */
  readonly keyFile: string;
  /** `<name>.pub.json`: `{ key_id, public_key, publisher? }`. */
  readonly publicFile: string;
  readonly keyId: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** The plugin folder (one with a manifest) that `dir` is or lies in, or null. */
async function pluginFolderAround(dir: string): Promise<string | null> {
  for (let current = dir; ; current = dirname(current)) {
    if (await exists(join(current, MANIFEST_FILE))) return current;
    if (dirname(current) === current) return null;
  }
}

/**
 * `keygen`: makes an ed25519 publisher key pair, `<name>.key` (private, PKCS#8 PEM, mode 0600) and
 * `<name>.pub.json` (public, for marketplaces and kernels to trust). Never overwrites a key: a lost
 * key cannot be recovered, and a replaced one silently stops matching the marketplace.
 */
export async function keygen(io: CliIo, options: { out?: string; name?: string; publisher?: string } = {}): Promise<KeygenResult> {
  const name = options.name ?? 'signing';
  if (!NAME.test(name)) throw new SdkError('MOSAIC_ERR_CLI_USAGE', `--name "${name}" must be a plain file name (letters, digits, ".", "_" and "-").`);
  if (options.publisher !== undefined && !PUBLISHER_ID.test(options.publisher)) {
    throw new SdkError('MOSAIC_ERR_CLI_USAGE', `--publisher "${options.publisher}" must be lower-case letters, digits, ".", "_" and "-".`);
  }
  const dir = resolve(io.cwd, options.out ?? '.');
  await mkdir(dir, { recursive: true });
  const keyFile = join(dir, `${name}.key`);
  const publicFile = join(dir, `${name}.pub.json`);
  for (const file of [keyFile, publicFile]) {
    if (await exists(file)) throw new SdkError('MOSAIC_ERR_CLI_KEY_EXISTS', `${file} already exists; keygen never overwrites a key. Choose another --name or --out.`);
  }
  const key = generateSigningKey();
  const pub: PublicKeyFile = { key_id: key.keyId, public_key: key.publicKey, ...(options.publisher !== undefined ? { publisher: options.publisher } : {}) };
  // wx: created here or not at all (a file appearing meanwhile is not replaced); 0600: only the owner reads it.
  await writeFile(keyFile, key.privateKeyPem, { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new SdkError('MOSAIC_ERR_CLI_KEY_EXISTS', `${keyFile} already exists; keygen never overwrites a key.`);
    throw error;
  });
  try {
    await writeFile(publicFile, `${JSON.stringify(pub, null, 2)}\n`, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    await rm(keyFile, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SdkError('MOSAIC_ERR_CLI_KEY_EXISTS', `${publicFile} already exists; keygen never overwrites a key.`);
    throw error;
  }
  const plugin = await pluginFolderAround(dir);
  if (plugin !== null) {
    warn(io, `${keyFile} is inside the plugin folder ${plugin}; move it out (pack refuses to package it, but it could still reach version control).`);
  }
  return { keyFile, publicFile, keyId: key.keyId };
}

/** Registers `keygen`. */
export function keygenCommand(program: Command, io: CliIo): void {
  program
    .command('keygen')
    .description('make an ed25519 publisher key: <name>.key (private) and <name>.pub.json (public)')
    .option('--out <dir>', 'the folder to write the two files to (default: the current folder)')
    .option('--name <name>', 'the file name without extension', 'signing')
    .option('--publisher <id>', 'the publisher id to record in <name>.pub.json')
    .action(async (options: { out?: string; name: string; publisher?: string }) => {
      const { keyFile, publicFile, keyId } = await keygen(io, options);
      say(io, `key id ${keyId}`);
      say(io, `  private key: ${keyFile} (keep it secret, keep it out of the plugin folder)`);
      say(io, `  public key:  ${publicFile} (give it to marketplaces and kernel admins)`);
    });
}
