import { createHash } from 'node:crypto';

/** Hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
