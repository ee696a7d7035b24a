import { MosaicError } from '../errors/index.js';

/** A position in a record's timeline: the entry's time and its history sequence number. */
export interface TimelineCursor {
  readonly occurredAt: string;
  readonly seq: string;
}

/** An opaque cursor for `before=`. */
export function encodeTimelineCursor(cursor: TimelineCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.seq])).toString('base64url');
}

/** Reads a cursor, or `MOSAIC_ERR_QUERY_CURSOR` for anything this API did not hand out. */
export function decodeTimelineCursor(text: string): TimelineCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2) {
      const [occurredAt, seq] = value as unknown[];
      if (typeof occurredAt === 'string' && !Number.isNaN(Date.parse(occurredAt)) && typeof seq === 'string' && /^\d{1,19}$/.test(seq)) return { occurredAt, seq };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new MosaicError('MOSAIC_ERR_QUERY_CURSOR', 'before is not a cursor from page_info.end_cursor of this timeline.', [{ path: 'before', message: 'invalid cursor' }]);
}
