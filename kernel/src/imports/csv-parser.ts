import { MosaicError } from '../errors/index.js';

/** Limits of {@link CsvParser}. */
export interface CsvParserOptions {
  /** Longest cell, in characters; a longer one stops the parse with `MOSAIC_ERR_IMPORT_CELL_TOO_LARGE`. */
  readonly maxCell: number;
  /** Delimiter (default `,`). */
  readonly delimiter?: string;
}

/**
 * An RFC 4180 CSV parser fed text in chunks of any size, so a file is parsed as it streams in and never
 * held whole. Quoted fields may hold delimiters, doubled quotes and line breaks; rows end with LF, CRLF
 * or CR. Each complete row is handed to `onRow` with its 1-based line number (where it starts) — the
 * numbers a per-row report gives back. A cell longer than `maxCell` is refused as soon as it passes the
 * limit, before it can fill memory. A quote opened and never closed is refused at `end()`.
 */
export class CsvParser {
  readonly #maxCell: number;
  readonly #delimiter: number;
  readonly #onRow: (cells: string[], line: number) => void;
  #row: string[] = [];
  #cell = '';
  #quoted = false;
  /** Inside a quoted field; after its closing quote, `#quoted` stays true and `#closed` is set. */
  #inQuotes = false;
  #closed = false;
  #line = 1;
  #rowLine = 1;
  #pendingCr = false;
  /** A CR inside quotes ended the last piece: it is a line break of its own unless an LF follows. */
  #pendingQuotedCr = false;
  #rowHasContent = false;

  constructor(options: CsvParserOptions, onRow: (cells: string[], line: number) => void) {
    this.#maxCell = options.maxCell;
    this.#delimiter = (options.delimiter ?? ',').charCodeAt(0);
    this.#onRow = onRow;
  }

  /** Parses the next piece of text. */
  write(text: string): void {
    const delimiter = this.#delimiter;
    let start = 0;
    let i = 0;
    const n = text.length;
    // Plain runs of characters are appended in one slice rather than one by one.
    const flush = (end: number) => {
      if (end > start) {
        this.#cell += text.slice(start, end);
        if (this.#cell.length > this.#maxCell) this.#tooLarge();
      }
    };
    if (this.#pendingCr && n > 0) {
      this.#pendingCr = false;
      if (text.charCodeAt(0) === 10) i = start = 1;
    }
    if (this.#pendingQuotedCr && n > 0) {
      this.#pendingQuotedCr = false;
      if (text.charCodeAt(0) !== 10) this.#line++;
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.#inQuotes) {
        if (c === 34) {
          flush(i);
          // A quote inside quotes: doubled means a literal quote, otherwise the field's end. The next
          // character may be in the next chunk, so a lone quote at the end waits.
          if (i + 1 >= n) {
            this.#inQuotes = false;
            this.#closed = true;
            start = i = i + 1;
            continue;
          }
          if (text.charCodeAt(i + 1) === 34) {
            this.#cell += '"';
            start = i = i + 2;
            continue;
          }
          this.#inQuotes = false;
          this.#closed = true;
          start = i = i + 1;
          continue;
        }
        if (c === 10) this.#line++;
        else if (c === 13 && i + 1 >= n) this.#pendingQuotedCr = true;
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.#line++;
        i++;
        continue;
      }
      if (c === 34 && this.#closed) {
        // The quote that follows a closing quote split across chunks: a literal quote after all.
        this.#cell += '"';
        this.#inQuotes = true;
        this.#closed = false;
        start = i = i + 1;
        continue;
      }
      if (c === delimiter) {
        flush(i);
        this.#endCell();
        start = i = i + 1;
        continue;
      }
      if (c === 10 || c === 13) {
        flush(i);
        this.#endRow();
        this.#line++;
        if (c === 13) {
          if (i + 1 >= n) this.#pendingCr = true;
          else if (text.charCodeAt(i + 1) === 10) i++;
        }
        start = i = i + 1;
        this.#rowLine = this.#line;
        continue;
      }
      if (c === 34 && this.#cell.length === 0 && i === start && !this.#quoted) {
        this.#quoted = true;
        this.#inQuotes = true;
        this.#rowHasContent = true;
        start = i = i + 1;
        continue;
      }
      this.#rowHasContent = true;
      i++;
    }
    flush(n);
  }

  /** Ends the input: the last row (without a final line break) is handed over. */
  end(): void {
    if (this.#inQuotes) {
      throw new MosaicError('MOSAIC_ERR_IMPORT_CSV_INVALID', `A quoted field opened on line ${this.#rowLine} is never closed.`, [{ path: `line ${this.#rowLine}`, message: 'unclosed quote' }]);
    }
    if (this.#rowHasContent || this.#row.length > 0 || this.#cell.length > 0) this.#endRow();
  }

  #endCell(): void {
    this.#row.push(this.#cell);
    this.#cell = '';
    this.#quoted = false;
    this.#closed = false;
    this.#rowHasContent = true;
  }

  #endRow(): void {
    // A blank line is no row at all (spreadsheets often end files with several).
    if (!this.#rowHasContent && this.#row.length === 0 && this.#cell.length === 0 && !this.#quoted) return;
    this.#row.push(this.#cell);
    const row = this.#row;
    this.#row = [];
    this.#cell = '';
    this.#quoted = false;
    this.#closed = false;
    this.#rowHasContent = false;
    this.#onRow(row, this.#rowLine);
  }

  #tooLarge(): never {
    throw new MosaicError(
      'MOSAIC_ERR_IMPORT_CELL_TOO_LARGE',
      `The cell that starts on line ${this.#rowLine} is longer than ${this.#maxCell.toLocaleString('en-US')} characters; nothing was imported. Check the file's quotes (an unclosed quote swallows the rest of the file).`,
      [{ path: `line ${this.#rowLine}`, message: 'cell too large' }],
    );
  }
}

/** Parses a whole text (tests and small files). */
export function parseCsv(text: string, maxCell = 1_000_000): string[][] {
  const rows: string[][] = [];
  const parser = new CsvParser({ maxCell }, (cells) => rows.push(cells));
  parser.write(text);
  parser.end();
  return rows;
}
