import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { KernelConfig } from '../config/index.js';
import { MosaicError } from '../errors/index.js';

const PREFIX = 'v1:';
const KEY_BYTES = 32;

/**
 * Encrypts secrets at rest (plugin secrets) with AES-256-GCM: each value gets a fresh 12-byte nonce, and
 * the tag makes a tampered or wrongly keyed value fail loudly instead of decrypting to garbage. Stored as
 * `v1:<nonce>.<tag>.<ciphertext>` in base64url; the version prefix leaves room to rotate keys.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new TypeError(`A secret key is ${KEY_BYTES} bytes.`);
    this.#key = key;
  }

  /**
   * The key from `MOSAIC_SECRET_KEY`, or else the key file beside the data folder, created on first use
   * (mode 0600). Two processes creating it at once agree: the file is written exclusively and the loser
   * reads the winner's key.
   */
  static async load(config: Pick<KernelConfig, 'secretKey' | 'dataDir'>): Promise<SecretBox> {
    if (config.secretKey) return new SecretBox(config.secretKey);
    const file = SecretBox.keyFile(config);
    const read = async () => Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    try {
      const key = await read();
      if (key.length === KEY_BYTES) return new SecretBox(key);
      throw new MosaicError('MOSAIC_ERR_CONFIG_INVALID', `${file} does not hold a 32-byte base64 key; restore it from a backup or set MOSAIC_SECRET_KEY.`);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
    await mkdir(dirname(file), { recursive: true });
    const key = randomBytes(KEY_BYTES);
    try {
      await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      return new SecretBox(key);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      for (let attempt = 0; attempt < 50; attempt++) {
        const theirs = await read();
        if (theirs.length === KEY_BYTES) return new SecretBox(theirs);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new MosaicError('MOSAIC_ERR_CONFIG_INVALID', `${file} is being written by another process and stayed unreadable.`);
    }
  }

  /** Where the generated key lives when `MOSAIC_SECRET_KEY` is not set: `secret.key` beside the data folder. */
  static keyFile(config: Pick<KernelConfig, 'dataDir'>): string {
    return resolve(config.dataDir, '..', 'secret.key');
  }

  /** Encrypts a value for storage. */
  seal(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${nonce.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  /**
   * Decrypts a stored value. A value without the version prefix was stored before encryption existed and
   * is returned as it is. A value that fails authentication (another key, tampering) throws.
   */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [nonce, tag, body] = stored.slice(PREFIX.length).split('.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(nonce ?? '', 'base64url'));
      decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new MosaicError('MOSAIC_ERR_INTERNAL', 'A stored secret could not be decrypted: it was sealed with another key (check MOSAIC_SECRET_KEY) or altered.', [], { cause: error });
    }
  }
}
