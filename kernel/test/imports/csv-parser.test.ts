import t from 'tap';
import { CsvParser } from '../../src/imports/csv-parser.js';

/** Parses `pieces` in order and returns each row with the line number a report would give. */
function parse(pieces: readonly string[]): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  const parser = new CsvParser({ maxCell: 1000 }, (cells, line) => rows.push({ cells, line }));
  for (const piece of pieces) parser.write(piece);
  parser.end();
  return rows;
}

// Line breaks of every kind, inside quoted cells and between rows: CRLF, LF and a lone CR.
const FILE = 'name,notes\r\n"Acme","first\r\nsecond"\r\nBeta,"one\rtwo"\nGamma,"x\ny"\rDelta,"q""uote"\r\nEnd,last\r\n';
const EXPECTED = [
  { cells: ['name', 'notes'], line: 1 },
  { cells: ['Acme', 'first\r\nsecond'], line: 2 },
  { cells: ['Beta', 'one\rtwo'], line: 4 },
  { cells: ['Gamma', 'x\ny'], line: 6 },
  { cells: ['Delta', 'q"uote'], line: 8 },
  { cells: ['End', 'last'], line: 9 },
];

t.test('rows and their line numbers do not depend on where the text is cut', async (t) => {
  t.same(parse([FILE]), EXPECTED, 'whole');
  // The import parses stored chunks in slices, and the upload cut the file into chunks anywhere: a cut
  // may fall between a quoted cell's CR and its LF, between two quotes, or anywhere else.
  for (let cut = 1; cut < FILE.length; cut++) {
    t.same(parse([FILE.slice(0, cut), FILE.slice(cut)]), EXPECTED, `cut at ${cut} (${JSON.stringify(FILE.slice(cut - 1, cut + 1))})`);
  }
  t.same(parse([...FILE]), EXPECTED, 'one character at a time');
});
