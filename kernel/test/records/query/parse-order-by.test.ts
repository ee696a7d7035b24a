import t from 'tap';
import { MosaicError } from '../../../src/errors/index.js';
import { MAX_ORDER_BY_ENTRIES, parseOrderBy } from '../../../src/records/query/index.js';

t.test('directions', async (t) => {
  t.same(parseOrderBy('name[AscNullsLast],employees[DescNullsFirst],created_at'), [
    { path: ['name'], direction: 'asc', nulls: 'last' },
    { path: ['employees'], direction: 'desc', nulls: 'first' },
    { path: ['created_at'], direction: 'asc', nulls: 'last' },
  ]);
  t.same(parseOrderBy('a[AscNullsFirst],b[DescNullsLast],c[Asc],d[Desc]'), [
    { path: ['a'], direction: 'asc', nulls: 'first' },
    { path: ['b'], direction: 'desc', nulls: 'last' },
    { path: ['c'], direction: 'asc', nulls: 'last' },
    { path: ['d'], direction: 'desc', nulls: 'first' },
  ], 'Asc puts nulls last and Desc first, as PostgreSQL does');
  t.same(parseOrderBy(' name.first_name [ Desc ] , x '), [
    { path: ['name', 'first_name'], direction: 'desc', nulls: 'first' },
    { path: ['x'], direction: 'asc', nulls: 'last' },
  ], 'dotted paths and whitespace');
  t.same(parseOrderBy(''), [], 'an empty parameter means no explicit order');
  const eight = Array.from({ length: MAX_ORDER_BY_ENTRIES }, (_, i) => `f${i}`).join(',');
  t.equal(parseOrderBy(eight).length, MAX_ORDER_BY_ENTRIES);
});

t.test('errors', async (t) => {
  const cases: [string, RegExp][] = [
    ['name[Up]', /Unknown direction "Up" for "name" at position 0; use one of AscNullsFirst/],
    ['name[asc]', /Unknown direction "asc"/],
    ['a,name[]', /Unknown direction "" for "name" at position 2/],
    ['a,,b', /empty entry at position 2/],
    ['a,', /empty entry at position 2/],
    ['a, Name', /"Name" at position 3 is not valid/],
    ['a[Asc]x', /"a\[Asc\]x" at position 0 is not valid/],
    ['a.b.c', /"a.b.c" at position 0 is not valid/],
    ['a[Asc],b,a[Desc]', /lists "a" more than once \(again at position 9\)/],
    [Array.from({ length: MAX_ORDER_BY_ENTRIES + 1 }, (_, i) => `f${i}`).join(','), /more than 8 fields/],
  ];
  for (const [text, pattern] of cases) {
    t.throws(() => parseOrderBy(text), { code: 'MOSAIC_ERR_QUERY_ORDER_BY', message: pattern }, text);
  }
  t.throws(() => parseOrderBy('x[Nope]'), MosaicError);
});
