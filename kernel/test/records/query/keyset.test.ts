import t from 'tap';
import {
  decodeCursor,
  encodeCursor,
  keysetPredicate,
  MAX_CURSOR_LENGTH,
  orderByClause,
  sortSignature,
  type SortColumn,
} from '../../../src/records/query/index.js';

const id: SortColumn = { column: 'id', direction: 'asc', nulls: 'last', kind: 'uuid' };
const sorts: SortColumn[] = [{ column: 'name', direction: 'asc', nulls: 'last', kind: 'text' }, id];
const sig = sortSignature(sorts);
const uuid = '123e4567-e89b-12d3-a456-426614174000';
const CURSOR = 'MOSAIC_ERR_QUERY_CURSOR';

t.test('sortSignature is short, stable and order-sensitive', async (t) => {
  t.equal(sig, sortSignature([...sorts]));
  t.match(sig, /^2\.[A-Za-z0-9_-]{12}$/);
  t.not(sig, sortSignature([{ ...sorts[0], direction: 'desc' }, id]));
  t.not(sig, sortSignature([{ ...sorts[0], nulls: 'first' }, id]));
  t.not(sig, sortSignature([{ ...sorts[0], column: 'city' }, id]));
  t.not(sig, sortSignature([id]));
});

t.test('cursor round trip', async (t) => {
  const when = new Date('2024-05-06T07:08:09.123Z');
  const sig4 = sortSignature([...sorts, id, id]);
  const cursor = encodeCursor([when, 12n, null, uuid], sig4);
  t.match(cursor, /^[A-Za-z0-9_-]+$/, 'base64url');
  t.same(decodeCursor(cursor, sig4), ['2024-05-06T07:08:09.123Z', '12', null, uuid], 'Date and bigint serialised');
  t.same(decodeCursor(encodeCursor(['Ada "x" ✓', uuid], sig), sig), ['Ada "x" ✓', uuid]);
  t.same(decodeCursor(encodeCursor([undefined, uuid], sig), sig), [null, uuid]);
});

t.test('bad cursors are refused with MOSAIC_ERR_QUERY_CURSOR', async (t) => {
  const enc = (obj: unknown): string => Buffer.from(JSON.stringify(obj)).toString('base64url');
  t.throws(() => decodeCursor(encodeCursor(['a', uuid], sig), sortSignature([id, sorts[0]])), { code: CURSOR, message: /another sort order/ });
  t.throws(() => decodeCursor('not a cursor!', sig), { code: CURSOR, message: /malformed/ });
  t.throws(() => decodeCursor('', sig), { code: CURSOR });
  t.throws(() => decodeCursor(Buffer.from('{"v":[').toString('base64url'), sig), { code: CURSOR, message: /malformed/ });
  t.throws(() => decodeCursor(enc([1, 2]), sig), { code: CURSOR });
  t.throws(() => decodeCursor(enc(null), sig), { code: CURSOR });
  t.throws(() => decodeCursor(enc({ v: 'x', s: sig }), sig), { code: CURSOR });
  t.throws(() => decodeCursor(enc({ v: ['a'], s: sig }), sig), { code: CURSOR }, 'wrong arity');
  t.throws(() => decodeCursor(enc({ v: ['a', uuid, 'b'], s: sig }), sig), { code: CURSOR }, 'wrong arity');
  t.throws(() => decodeCursor(enc({ v: [{ a: 1 }, uuid], s: sig }), sig), { code: CURSOR }, 'objects are not sort values');
  t.throws(() => decodeCursor(enc({ v: [[1], uuid], s: sig }), sig), { code: CURSOR });
  const long = encodeCursor(['x'.repeat(MAX_CURSOR_LENGTH), uuid], sig);
  t.throws(() => decodeCursor(long, sig), { code: CURSOR, message: /at most 4096/ });
});

t.test('predicate shape', async (t) => {
  // Each case sorts by n and then the id (asc nulls last); `tail` is the "n equal, id after" branch.
  const one = (s: SortColumn, v: unknown, mode: 'after' | 'before' = 'after') => keysetPredicate([s, id], [v, uuid], mode);
  const asc = (nulls: 'first' | 'last'): SortColumn => ({ column: 'n', direction: 'asc', nulls, kind: 'integer' });
  const desc = (nulls: 'first' | 'last'): SortColumn => ({ column: 'n', direction: 'desc', nulls, kind: 'integer' });
  const idAfter = { sql: '(?? > ?::uuid OR ?? IS NULL)', bindings: ['id', uuid, 'id'] };
  const idBefore = { sql: '?? < ?::uuid', bindings: ['id', uuid] };
  const tail = (v: unknown, idPast = idAfter) => ({ sql: `?? = ?::bigint AND ${idPast.sql}`, bindings: ['n', v, ...idPast.bindings] });
  const nullTail = (idPast = idAfter) => ({ sql: `?? IS NULL AND ${idPast.sql}`, bindings: ['n', ...idPast.bindings] });
  const or = (a: { sql: string; bindings: unknown[] }, b: { sql: string; bindings: unknown[] }) => ({
    sql: `(${a.sql} OR (${b.sql}))`, bindings: [...a.bindings, ...b.bindings],
  });
  t.same(one(asc('last'), 5), or({ sql: '(?? > ?::bigint OR ?? IS NULL)', bindings: ['n', 5, 'n'] }, tail(5)));
  t.same(one(asc('first'), 5), or({ sql: '?? > ?::bigint', bindings: ['n', 5] }, tail(5)));
  t.same(one(asc('first'), null), or({ sql: '?? IS NOT NULL', bindings: ['n'] }, nullTail()));
  t.same(one(asc('last'), null), { sql: `(${nullTail().sql})`, bindings: nullTail().bindings }, 'nothing follows a null placed last');
  t.same(one(desc('first'), '5'), or({ sql: '?? < ?::bigint', bindings: ['n', '5'] }, tail('5')));
  t.same(one(desc('last'), 5, 'before'), or({ sql: '?? > ?::bigint', bindings: ['n', 5] }, tail(5, idBefore)), 'before = after in the reversed order');
  t.same(one(asc('last'), null, 'before'), or({ sql: '?? IS NOT NULL', bindings: ['n'] }, nullTail(idBefore)));
  t.same(keysetPredicate([asc('last')], [null], 'after'), { sql: 'FALSE', bindings: [] }, 'nothing can follow');
  t.same(keysetPredicate([id, asc('last')], [uuid, null], 'after'), {
    sql: '(?? > ?::uuid OR ?? IS NULL)', bindings: ['id', uuid, 'id'],
  }, 'id first, then a null in a nullable column: fine, no column is assumed non-null');
  t.same(keysetPredicate(sorts, [null, uuid], 'after', 'r'), {
    sql: '(??.?? IS NULL AND (??.?? > ?::uuid OR ??.?? IS NULL))', bindings: ['r', 'name', 'r', 'id', uuid, 'r', 'id'],
  });
  t.same(keysetPredicate(sorts, ['Ada', uuid], 'after'), {
    sql: '((?? > ? OR ?? IS NULL) OR (?? = ? AND (?? > ?::uuid OR ?? IS NULL)))',
    bindings: ['name', 'Ada', 'name', 'name', 'Ada', 'id', uuid, 'id'],
  });
  t.same(orderByClause(sorts), { sql: '?? ASC NULLS LAST, ?? ASC NULLS LAST', bindings: ['name', 'id'] });
  t.same(orderByClause(sorts, 'before', 'r'), { sql: '??.?? DESC NULLS FIRST, ??.?? DESC NULLS FIRST', bindings: ['r', 'name', 'r', 'id'] });
});

t.test('cursor values are checked against their columns', async (t) => {
  const col = (kind: SortColumn['kind']): SortColumn[] => [{ column: 'c', direction: 'asc', nulls: 'last', kind }, id];
  const bad: [SortColumn['kind'], unknown][] = [
    ['text', 5], ['integer', 1.5], ['integer', '99999999999999999999'], ['integer', 'x'], ['decimal', 'NaN'],
    ['decimal', true], ['boolean', 'true'], ['date', '2024-02-30'], ['datetime', 'now'], ['uuid', 'abc'],
  ];
  for (const [kind, value] of bad) {
    t.throws(() => keysetPredicate(col(kind), [value, uuid], 'after'), { code: CURSOR, message: /does not fit/ }, `${kind} ${String(value)}`);
  }
  t.throws(() => keysetPredicate(col('text'), ['a'], 'after'), { code: CURSOR });
  t.throws(() => keysetPredicate(col('json'), [{}, uuid], 'after'), { code: 'MOSAIC_ERR_QUERY_ORDER_BY' });
  t.throws(() => orderByClause(col('text_array')), { code: 'MOSAIC_ERR_QUERY_ORDER_BY', message: /"c" \(text_array\) cannot be sorted/ });
  t.same(keysetPredicate(col('decimal'), [0.1, uuid], 'after').bindings.slice(0, 2), ['c', '0.1'], 'decimals bound as text');
  t.same(keysetPredicate(col('datetime'), [new Date(0), uuid], 'after').bindings.slice(0, 2), ['c', '1970-01-01T00:00:00.000Z']);
  t.same(keysetPredicate(col('integer'), ['-9223372036854775808', uuid], 'after').bindings.slice(0, 2), ['c', '-9223372036854775808']);
});
