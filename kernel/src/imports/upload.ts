import type { Knex } from '@mikro-orm/postgresql';
import { MosaicError } from '../errors/index.js';
import { CsvParser } from './csv-parser.js';

/** Limits of an upload. */
export interface UploadLimits {
  /** Largest file, in bytes. */
  readonly maxBytes: number;
  /** Longest cell, in characters. */
  readonly maxCell: number;
}

/** What an upload found: the header row, the rows under it, a preview, and the rows whose length is off. */
export interface UploadAnalysis {
  readonly bytes: number;
  readonly headers: string[];
  readonly rows: number;
  readonly preview: string[][];
  /** Rows with more or fewer cells than the header: reported on upload, failed at import. */
  readonly ragged: { row: number; cells: number }[];
  readonly raggedCount: number;
}

const CHUNK_CHARS = 1 << 20;
const MAX_COLUMNS = 1000;
const PREVIEW_ROWS = 5;
const RAGGED_LISTED = 100;

/** The start of a file that is certainly not UTF-8 CSV, with what to tell the member. */
function sniff(head: Uint8Array): string | undefined {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'The file is UTF-16 text; save it as "CSV UTF-8" and upload it again.';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'The file is a spreadsheet workbook (.xlsx), not CSV; save it as "CSV UTF-8" and upload it again.';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'The file is an Excel 97-2003 workbook (.xls), not CSV; save it as "CSV UTF-8" and upload it again.';
  return undefined;
}

/**
 * Receives an upload as it streams in and stores it as checked text in `import_chunk`, analysing it on
 * the way: one pass, memory bounded by a chunk. The file is refused — nothing kept — when it is larger
 * than `maxBytes`, is not UTF-8 (a BOM is allowed and dropped; UTF-16, workbooks and Latin-1 bytes are
 * named), holds a NUL byte, has a cell longer than `maxCell` or an unclosed quote, or has no data rows.
 * The caller deletes the job row when this throws (the chunks go with it).
 */
export async function receiveUpload(knex: Knex, importId: string, body: AsyncIterable<Uint8Array | string>, limits: UploadLimits): Promise<UploadAnalysis> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let headers: string[] | undefined;
  let rows = 0;
  const preview: string[][] = [];
  const ragged: { row: number; cells: number }[] = [];
  let raggedCount = 0;
  const parser = new CsvParser({ maxCell: limits.maxCell }, (cells, line) => {
    if (!headers) {
      if (cells.length > MAX_COLUMNS) throw new MosaicError('MOSAIC_ERR_IMPORT_CSV_INVALID', `The header row has ${cells.length} columns; imports take at most ${MAX_COLUMNS}.`);
      headers = cells.map((c) => c.trim());
      return;
    }
    rows++;
    if (preview.length < PREVIEW_ROWS) preview.push(cells.map((c) => (c.length > 200 ? `${c.slice(0, 199)}…` : c)));
    if (cells.length !== headers.length) {
      raggedCount++;
      if (ragged.length < RAGGED_LISTED) ragged.push({ row: line, cells: cells.length });
    }
  });

  let seq = 0;
  let pending = '';
  const store = async (text: string) => {
    await knex.raw('insert into import_chunk (import_id, seq, text) values (?, ?, ?)', [importId, seq++, text]);
  };
  const take = async (text: string) => {
    if (text.includes('\u0000')) throw new MosaicError('MOSAIC_ERR_IMPORT_ENCODING', 'The file holds NUL bytes, so it is not a text file; save it as "CSV UTF-8" and upload it again.');
    parser.write(text);
    pending += text;
    if (pending.length >= CHUNK_CHARS) {
      const piece = pending;
      pending = '';
      await store(piece);
    }
  };

  for await (const piece of body) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (bytes === 0) {
      const refused = sniff(chunk);
      if (refused) throw new MosaicError('MOSAIC_ERR_IMPORT_ENCODING', refused);
    }
    bytes += chunk.byteLength;
    if (bytes > limits.maxBytes) {
      throw new MosaicError('MOSAIC_ERR_IMPORT_TOO_LARGE', `The file is larger than ${limits.maxBytes.toLocaleString('en-US')} bytes, the most an import takes. Nothing was imported; split it into smaller files.`);
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw encodingError(bytes);
    }
    await take(text);
  }
  try {
    await take(decoder.decode());
  } catch (error) {
    if (error instanceof MosaicError) throw error;
    throw encodingError(bytes);
  }
  parser.end();
  if (pending) await store(pending);
  if (!headers || headers.every((h) => h === '')) throw new MosaicError('MOSAIC_ERR_IMPORT_CSV_INVALID', 'The file is empty: it needs a header row naming its columns.');
  if (rows === 0) throw new MosaicError('MOSAIC_ERR_IMPORT_EMPTY', 'The file has a header row but no rows under it.');
  return { bytes, headers, rows, preview, ragged, raggedCount };
}

function encodingError(bytes: number): MosaicError {
  return new MosaicError(
    'MOSAIC_ERR_IMPORT_ENCODING',
    `The file is not valid UTF-8 (a byte near offset ${bytes.toLocaleString('en-US')} is not); it was probably saved as Windows-1252/Latin-1. Save it as "CSV UTF-8" and upload it again. Nothing was imported.`,
  );
}
