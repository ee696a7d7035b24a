/**
 * ed25519 publisher keys with node:crypto. A public key travels as text: base64 of its raw 32 bytes;
 * its id is the first 16 hex characters of the SHA-256 of those bytes, so an id can always be checked
 * against its key.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { SignatureFile } from './format.js';

/** A new key pair as keygen writes it. */
export interface GeneratedKey {
  /** PKCS#8 PEM of the private key. */
  readonly privateKeyPem: string;
  /** Base64 of the raw 32-byte public key. */
  readonly publicKey: string;
  readonly keyId: string;
}

/** The key id of a raw 32-byte public key (base64 text or bytes). */
export function keyIdOf(publicKey: string | Buffer): string {
  const raw = typeof publicKey === 'string' ? Buffer.from(publicKey, 'base64') : publicKey;
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

/** Makes a new ed25519 key pair. */
export function generateSigningKey(): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: raw.toString('base64'), keyId: keyIdOf(raw) };
}

/** A private signing key read from PEM, with its public half; throws when it is not an ed25519 private key. */
export function loadSigningKey(pem: string | Buffer): { key: KeyObject; publicKey: string; keyId: string } {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType ?? 'symmetric'} key, not ed25519`);
  const raw = rawPublicKey(createPublicKey(key));
  return { key, publicKey: raw.toString('base64'), keyId: keyIdOf(raw) };
}

/**
 * The node:crypto key of a base64 raw public key, or null when the text is not 32 bytes of base64
 * (a trusted key is configuration; a bad one must not match anything).
 */
export function publicKeyObject(publicKey: string): KeyObject | null {
  const raw = Buffer.from(publicKey, 'base64');
  if (raw.byteLength !== 32 || raw.toString('base64') !== publicKey) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** `signature.json` for the exact bytes of `files.json`. */
export function signFileList(fileListBytes: Buffer, signing: { key: KeyObject; keyId: string }): SignatureFile {
  return { format: 1, algorithm: 'ed25519', key_id: signing.keyId, signature: sign(null, fileListBytes, signing.key).toString('base64') };
}

/** True when `signature` (base64) is a valid ed25519 signature of `data` by `publicKey` (base64 raw). */
export function verifyBytes(data: Buffer, signature: string, publicKey: string): boolean {
  const key = publicKeyObject(publicKey);
  const sig = Buffer.from(signature, 'base64');
  if (key === null || sig.byteLength !== 64) return false;
  return verify(null, data, key, sig);
}
