import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import semver from 'semver';
import {
  INDEX_FILE,
  KEY_ID,
  PACKAGES_DIR,
  PUBLISHER_ID,
  archiveName,
  emptyMarketplaceIndex,
  isPackageError,
  keyIdOf,
  parseMarketplaceIndex,
  publicKeyObject,
  readIndexText,
  verifyPackage,
  writeMarketplaceIndex,
  type MarketplaceIndex,
  type MarketplaceKey,
  type TrustedKey,
  type VerifiedPackage,
} from '../package/index.js';
import { SdkError } from '../sdk-error.js';
import { say, type CliIo } from './io.js';

const LOCK_FILE = `${INDEX_FILE}.lock`;

/**
 * Runs `change` with the marketplace folder locked (an exclusive lock file), so two publishes at once
 * cannot each write an index that lacks the other's version.
 */
async function withLock<T>(dir: string, change: () => Promise<T>): Promise<T> {
  const lock = join(dir, LOCK_FILE);
  try {
    await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new SdkError('MOSAIC_ERR_CLI_MARKETPLACE_BUSY', `${lock} exists: another publish or revoke is changing this marketplace. Wait for it, or delete the file if none is running.`);
  }
  try {
    return await change();
  } finally {
    await rm(lock, { force: true });
  }
}

/** The marketplace's index, or a new empty one when the folder has none (`create`), checked. */
async function loadIndex(dir: string, create: boolean): Promise<MarketplaceIndex> {
  const text = await readIndexText(dir);
  if (text === null) {
    if (create) return emptyMarketplaceIndex(basename(dir));
    throw new SdkError('MOSAIC_ERR_CLI_MARKETPLACE_INVALID', `${join(dir, INDEX_FILE)} does not exist; is ${dir} a marketplace folder?`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_CLI_MARKETPLACE_INVALID', `${join(dir, INDEX_FILE)} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = parseMarketplaceIndex(raw);
  if (!parsed.ok) throw new SdkError('MOSAIC_ERR_CLI_MARKETPLACE_INVALID', `${join(dir, INDEX_FILE)} is not a valid marketplace index.`, parsed.problems);
  return parsed.index;
}

/** Reads `<name>.pub.json` and checks its key id belongs to its key. */
async function readPublicKeyFile(path: string): Promise<{ key: MarketplaceKey; publisher?: string }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_CLI_KEY_INVALID', `Cannot read the public key file ${path}: ${(error as Error).message}`);
  }
  const r = raw as Record<string, unknown>;
  if (typeof r !== 'object' || r === null || typeof r.key_id !== 'string' || typeof r.public_key !== 'string' || !KEY_ID.test(r.key_id) || publicKeyObject(r.public_key) === null) {
    throw new SdkError('MOSAIC_ERR_CLI_KEY_INVALID', `${path} is not a public key file made by mosaic-plugin keygen ({ key_id, public_key }).`);
  }
  if (keyIdOf(r.public_key) !== r.key_id) throw new SdkError('MOSAIC_ERR_CLI_KEY_INVALID', `${path}: key_id ${r.key_id} is not the id of its public_key (${keyIdOf(r.public_key)}).`);
  return { key: { key_id: r.key_id, public_key: r.public_key }, ...(typeof r.publisher === 'string' ? { publisher: r.publisher } : {}) };
}

/** Options of {@link publish}. */
export interface PublishOptions {
  /** The marketplace folder (created when missing). */
  readonly to: string;
  readonly publisher?: string;
  readonly publisherName?: string;
  /** A `.pub.json` whose key is added to the publisher before the archive is checked. */
  readonly publicKey?: string;
  /** Accept an unsigned package (for development marketplaces only). */
  readonly allowUnsigned?: boolean;
}

/** What {@link publish} added. */
export interface PublishResult {
  readonly id: string;
  readonly version: string;
  readonly publisher: string;
  readonly file: string;
  readonly signedBy: string | null;
}

async function verifyForPublish(bytes: Buffer, trustedKeys: TrustedKey[], allowUnsigned: boolean): Promise<VerifiedPackage> {
  try {
    return await verifyPackage(bytes, { trustedKeys, allowUnsigned });
  } catch (error) {
    if (!isPackageError(error)) throw error;
    throw new SdkError('MOSAIC_ERR_CLI_PACKAGE_REFUSED', `${error.code}: ${error.message}`, error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)));
  }
}

/**
 * `publish <archive> --to <dir>`: verifies the archive with the kernel's package rules (the signature
 * must match a key of the plugin's publisher), copies it to `packages/`, and adds the version to
 * `index.json` (written atomically). A version already published is refused, never replaced.
 */
export async function publish(io: CliIo, archiveArg: string, options: PublishOptions): Promise<PublishResult> {
  const dir = resolve(io.cwd, options.to);
  if (options.publisher !== undefined && !PUBLISHER_ID.test(options.publisher)) {
    throw new SdkError('MOSAIC_ERR_CLI_USAGE', `--publisher "${options.publisher}" must be lower-case letters, digits, ".", "_" and "-".`);
  }
  const archivePath = resolve(io.cwd, archiveArg);
  const bytes = await readFile(archivePath).catch(() => {
    throw new SdkError('MOSAIC_ERR_CLI_USAGE', `No archive at ${archivePath}; make one with mosaic-plugin pack.`);
  });
  const newKey = options.publicKey === undefined ? null : await readPublicKeyFile(resolve(io.cwd, options.publicKey));
  await mkdir(join(dir, PACKAGES_DIR), { recursive: true });
  return withLock(dir, async () => {
    const index = await loadIndex(dir, true);
    const owner = newKey === null ? undefined : Object.entries(index.publishers).find(([, p]) => p.keys.some((k) => k.key_id === newKey.key.key_id))?.[0];
    const trusted: TrustedKey[] = Object.entries(index.publishers).flatMap(([publisher, p]) => p.keys.map((k) => ({ keyId: k.key_id, publicKey: k.public_key, publisher })));
    const namedPublisher = options.publisher ?? newKey?.publisher;
    if (newKey !== null && owner === undefined) trusted.push({ keyId: newKey.key.key_id, publicKey: newKey.key.public_key, ...(namedPublisher ? { publisher: namedPublisher } : {}) });

    const pkg = await verifyForPublish(bytes, trusted, options.allowUnsigned === true);
    const { id, version } = pkg.manifest;
    const existing = Object.hasOwn(index.plugins, id) ? index.plugins[id] : undefined;
    const publisher = existing?.publisher ?? namedPublisher ?? pkg.signer?.publisher;
    if (publisher === undefined || !PUBLISHER_ID.test(publisher)) {
      throw new SdkError('MOSAIC_ERR_CLI_PUBLISH_PUBLISHER', `Name the publisher of ${id} with --publisher <id> (lower-case letters, digits, ".", "_" and "-").`);
    }
    if (options.publisher !== undefined && existing !== undefined && existing.publisher !== options.publisher) {
      throw new SdkError('MOSAIC_ERR_CLI_PUBLISH_PUBLISHER', `${id} belongs to publisher "${existing.publisher}" in this marketplace, not "${options.publisher}".`);
    }
    if (owner !== undefined && owner !== publisher) {
      throw new SdkError('MOSAIC_ERR_CLI_PUBLISH_PUBLISHER', `Key ${newKey?.key.key_id} belongs to publisher "${owner}", not "${publisher}".`);
    }
    // A key offered with --public-key and no publisher of its own is offered for this plugin's publisher.
    const signerPublisher = pkg.signer === null ? null : (pkg.signer.publisher ?? publisher);
    if (pkg.signer !== null && signerPublisher !== publisher) {
      throw new SdkError('MOSAIC_ERR_CLI_PACKAGE_REFUSED', `MOSAIC_ERR_PACKAGE_KEY_UNKNOWN: ${id} ${version} is signed with key ${pkg.signer.keyId}, which is not a key of publisher "${publisher}".`);
    }
    const file = `${PACKAGES_DIR}/${archiveName(id, version)}`;
    if (existing !== undefined && Object.hasOwn(existing.versions, version)) {
      throw new SdkError('MOSAIC_ERR_CLI_PUBLISH_EXISTS', `${id} ${version} is already published in ${dir}; published versions are never replaced. Raise the version and pack again.`);
    }
    // wx: an archive left by an earlier, interrupted publish is not silently replaced either.
    await writeFile(join(dir, file), bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new SdkError('MOSAIC_ERR_CLI_PUBLISH_EXISTS', `${join(dir, file)} already exists, though the index does not list it; remove it if it is left from an interrupted publish.`);
      throw error;
    });

    const oldPublisher = Object.hasOwn(index.publishers, publisher) ? index.publishers[publisher] : undefined;
    const keys = [...(oldPublisher?.keys ?? [])];
    if (newKey !== null && !keys.some((k) => k.key_id === newKey.key.key_id)) keys.push(newKey.key);
    const latest = existing === undefined || Object.keys(existing.versions).every((v) => semver.gt(version, v));
    const next: MarketplaceIndex = {
      ...index,
      publishers: { ...index.publishers, [publisher]: { name: options.publisherName ?? oldPublisher?.name ?? publisher, keys } },
      plugins: {
        ...index.plugins,
        [id]: {
          // The newest version's name and description describe the plugin.
          name: latest ? pkg.manifest.name : existing.name,
          description: latest ? (pkg.manifest.description ?? '') : existing.description,
          publisher,
          versions: {
            ...existing?.versions,
            [version]: {
              file,
              sha256: pkg.sha256,
              size: bytes.byteLength,
              kernel: pkg.manifest.kernel,
              permissions: pkg.manifest.permissions ?? {},
              dependencies: pkg.manifest.dependencies ?? {},
              signed_by: pkg.signer?.keyId ?? null,
              published_at: new Date().toISOString(),
            },
          },
        },
      },
    };
    try {
      await writeMarketplaceIndex(dir, next);
    } catch (error) {
      await rm(join(dir, file), { force: true });
      throw error;
    }
    return { id, version, publisher, file: join(dir, file), signedBy: pkg.signer?.keyId ?? null };
  });
}

/**
 * `revoke <id>@<version> --from <dir> --reason "…"`: lists the version under `revoked`; kernels refuse
 * to install it and flag installed copies. The archive stays, so the revocation can be inspected.
 */
export async function revoke(io: CliIo, spec: string, options: { from: string; reason: string }): Promise<{ id: string; version: string; already: boolean }> {
  const at = spec.lastIndexOf('@');
  const id = at > 0 ? spec.slice(0, at) : '';
  const version = at > 0 ? spec.slice(at + 1) : '';
  if (id === '' || version === '') throw new SdkError('MOSAIC_ERR_CLI_USAGE', `"${spec}" must be <id>@<version>, such as acme.enrichment@1.2.0.`);
  if (options.reason.trim() === '') throw new SdkError('MOSAIC_ERR_CLI_USAGE', '--reason must say why the version is revoked; admins see it.');
  const dir = resolve(io.cwd, options.from);
  // Checked before locking too: a mistyped folder gets this message, not a failed lock file.
  await loadIndex(dir, false);
  return withLock(dir, async () => {
    const index = await loadIndex(dir, false);
    const plugin = Object.hasOwn(index.plugins, id) ? index.plugins[id] : undefined;
    if (plugin === undefined || !Object.hasOwn(plugin.versions, version)) {
      throw new SdkError('MOSAIC_ERR_CLI_REVOKE_UNKNOWN', `${dir} has no ${id} ${version} to revoke.`);
    }
    if (index.revoked.some((r) => r.id === id && r.version === version)) return { id, version, already: true };
    await writeMarketplaceIndex(dir, { ...index, revoked: [...index.revoked, { id, version, reason: options.reason.trim() }] });
    return { id, version, already: false };
  });
}

/** Registers `publish` and `revoke`. */
export function publishCommand(program: Command, io: CliIo): void {
  program
    .command('publish')
    .description('verify a packed archive and add it to a marketplace folder (index.json + packages/)')
    .argument('<archive>', 'the .tgz made by mosaic-plugin pack')
    .requiredOption('--to <dir>', 'the marketplace folder (created when missing)')
    .option('--publisher <id>', "the plugin's publisher id (needed for a plugin new to the marketplace)")
    .option('--publisher-name <name>', "the publisher's display name")
    .option('--public-key <file.pub.json>', "add this key (made by keygen) to the publisher's keys")
    .option('--allow-unsigned', 'accept an unsigned package (development marketplaces only)')
    .action(async (archive: string, options: PublishOptions) => {
      const result = await publish(io, archive, options);
      say(io, `published ${result.id} ${result.version} (publisher ${result.publisher}, ${result.signedBy === null ? 'unsigned' : `signed by key ${result.signedBy}`}): ${result.file}`);
    });
  program
    .command('revoke')
    .description('mark a published version as revoked in a marketplace folder')
    .argument('<id@version>', 'the version to revoke, such as acme.enrichment@1.2.0')
    .requiredOption('--from <dir>', 'the marketplace folder')
    .requiredOption('--reason <text>', 'why; admins see it')
    .action(async (spec: string, options: { from: string; reason: string }) => {
      const result = await revoke(io, spec, options);
      say(io, result.already ? `${result.id} ${result.version} was already revoked` : `revoked ${result.id} ${result.version}`);
    });
}
