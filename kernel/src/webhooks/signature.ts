import { createHmac, randomBytes } from 'node:crypto';

/** Shortest secret an admin may choose; generated secrets are far longer. */
export const MIN_SECRET_LENGTH = 16;

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The `x-mosaic-signature` value: `v1=` and the hex HMAC-SHA256 of `timestamp.body` under the secret.
 * The timestamp is inside the signed text so a captured request cannot be replayed later with a fresh
 * timestamp; the `v1=` prefix leaves room for another scheme without breaking receivers.
 */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one webhook request, signed. */
export function webhookHeaders(input: { secret: string; webhookId: string; eventId: string; eventType: string; body: string; now?: number }): Record<string, string> {
  const timestamp = Math.floor((input.now ?? Date.now()) / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'MosaicCRM-Webhook/1',
    'x-mosaic-event-id': input.eventId,
    'x-mosaic-event-type': input.eventType,
    'x-mosaic-webhook-id': input.webhookId,
    'x-mosaic-timestamp': String(timestamp),
    'x-mosaic-signature': signature(input.secret, timestamp, input.body),
  };
}
