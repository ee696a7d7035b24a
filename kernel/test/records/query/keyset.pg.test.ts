import t from 'tap';
import {
  compileFilter,
  decodeCursor,
  encodeCursor,
  keysetPredicate,
  orderByClause,
  parseFilter,
  sortSignature,
  type SortColumn,
  type SqlFragment,
} from '../../../src/records/query/index.js';
import { KINDS, resolveRec, seedRec, type Row } from './fixtures/rows.js';
import { openTestDb, seeded, sql } from './fixtures/pg.js';

const db = await openTestDb();
t.teardown(() => db.close());
await seedRec(db);

type Dir = 'asc' | 'desc';
type Nulls = 'first' | 'last';
const col = (column: keyof Row & string, direction: Dir = 'asc', nulls: Nulls = direction === 'asc' ? 'last' : 'first'): SortColumn => ({
  column, direction, nulls, kind: KINDS[column],
});
const ID = col('id');
const notNull = (sort: SortColumn): SortColumn => ({ ...sort, notNull: true });
const NON_NULL_AT: SqlFragment = { sql: 'at_ms IS NOT NULL', bindings: [] };
type Fetched = Record<string, unknown> & { id: string };

interface WalkOptions {
  table?: string;
  where?: SqlFragment;
  dates?: 'text' | 'driver';
  pageSize?: number;
  /** Called after each page, e.g. to insert rows while the walk is under way. */
  between?: () => Promise<void>;
}

const whereAll = (...parts: (SqlFragment | undefined)[]): SqlFragment => {
  const present = parts.filter((p): p is SqlFragment => p !== undefined);
  return { sql: present.map((p) => `(${p.sql})`).join(' AND ') || 'TRUE', bindings: present.flatMap((p) => p.bindings) };
};

/** Every row in one ORDER BY query: the reference order. */
async function fullOrder(sorts: SortColumn[], opts: WalkOptions = {}): Promise<Fetched[]> {
  return db.query<Fetched>(sql(`SELECT * FROM ${opts.table ?? 'rec'} WHERE`, whereAll(opts.where), 'ORDER BY', orderByClause(sorts)), { dates: opts.dates });
}

/**
 * Pages through the rows `after` the start (or `before` the given row), carrying each position in a
 * cursor that round-trips through encode/decode like a client would. Returns rows in display order.
 */
async function walk(sorts: SortColumn[], mode: 'after' | 'before', opts: WalkOptions & { from?: Fetched } = {}): Promise<Fetched[]> {
  const signature = sortSignature(sorts);
  const pageSize = opts.pageSize ?? 7;
  let cursor = opts.from === undefined ? undefined : encodeCursor(sorts.map((s) => opts.from![s.column]), signature);
  const seen: Fetched[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const keyset = cursor === undefined ? undefined : keysetPredicate(sorts, decodeCursor(cursor, signature), mode);
    const page = await db.query<Fetched>(sql(
      `SELECT * FROM ${opts.table ?? 'rec'} WHERE`, whereAll(opts.where, keyset),
      'ORDER BY', orderByClause(sorts, mode), `LIMIT ${pageSize}`,
    ), { dates: opts.dates });
    if (page.length === 0) break;
    // `before` pages come nearest-first; the client shows them in the normal order.
    if (mode === 'after') seen.push(...page);
    else seen.unshift(...page.reverse());
    const edge = mode === 'after' ? page[page.length - 1] : page[0];
    cursor = encodeCursor(sorts.map((s) => edge[s.column]), signature);
    if (page.length < pageSize) break;
    await opts.between?.();
  }
  return seen;
}

const ids = (rows: Fetched[]): string[] => rows.map((r) => r.id);

const orders: [string, SortColumn[], WalkOptions?][] = [
  ['count asc nulls last', [col('count', 'asc', 'last'), ID]],
  ['count asc nulls first', [col('count', 'asc', 'first'), ID]],
  ['count desc nulls first', [col('count', 'desc', 'first'), ID]],
  ['count desc nulls last', [col('count', 'desc', 'last'), ID]],
  ['title desc nulls last, count asc nulls first', [col('title', 'desc', 'last'), col('count', 'asc', 'first'), ID]],
  ['flag, day desc nulls last, ref asc nulls first', [col('flag'), col('day', 'desc', 'last'), col('ref', 'asc', 'first'), ID]],
  ['amount desc nulls last, score asc nulls first', [col('amount', 'desc', 'last'), col('score', 'asc', 'first'), ID]],
  ['big desc (int8 as strings)', [col('big', 'desc'), ID]],
  ['at asc nulls first (microseconds as text)', [col('at', 'asc', 'first'), ID]],
  ['at_ms desc nulls last (JS Date values)', [col('at_ms', 'desc', 'last'), ID], { dates: 'driver' }],
  ['id desc only', [col('id', 'desc', 'last')]],
  // The records layer appends no id when order_by already names it, so the id need not be last.
  ['id in the middle, nullable title last', [col('count', 'desc', 'last'), ID, col('title')]],
  ['count asc within a filter', [col('count'), ID], { where: compileFilter(parseFilter('or(flag[eq]:true,title[is]:NULL)'), resolveRec) }],
  // Columns known NOT NULL, all one way: the predicate is a row comparison and ORDER BY drops NULLS.
  ['at_ms desc, id desc, both NOT NULL (row comparison)', [notNull(col('at_ms', 'desc', 'last')), notNull(col('id', 'desc', 'last'))], { where: NON_NULL_AT, dates: 'driver' }],
  ['at_ms asc, id asc, both NOT NULL (row comparison)', [notNull(col('at_ms', 'asc', 'first')), notNull(ID)], { where: NON_NULL_AT, dates: 'driver' }],
  ['at_ms NOT NULL desc, id asc (mixed directions: no row comparison)', [notNull(col('at_ms', 'desc', 'last')), notNull(ID)], { where: NON_NULL_AT, dates: 'driver' }],
];

t.test('NOT NULL columns sorted one way page with a row comparison', async (t) => {
  const sorts = [notNull(col('at_ms', 'desc', 'last')), notNull(col('id', 'desc', 'last'))];
  const predicate = keysetPredicate(sorts, ['2024-03-01T10:00:00.000Z', '00000000-0000-4000-a000-000000000001'], 'after');
  t.match(predicate.sql, /^\(.+, .+\) < \(.+, .+\)$/, 'one row comparison, which PostgreSQL turns into an index range');
  t.notMatch(orderByClause(sorts).sql, /NULLS/, 'ORDER BY matches a plain (at_ms desc, id desc) index');
});

t.test('an after walk visits every row once, in ORDER BY order', async (t) => {
  for (const [name, sorts, opts] of orders) {
    const expected = await fullOrder(sorts, opts);
    for (const pageSize of [1, 7, 50]) {
      const got = await walk(sorts, 'after', { ...opts, pageSize });
      t.same(ids(got), ids(expected), `${name}, pages of ${pageSize}`);
    }
  }
});

t.test('a before walk goes backwards correctly', async (t) => {
  for (const [name, sorts, opts] of orders) {
    const expected = await fullOrder(sorts, opts);
    const last = expected[expected.length - 1];
    t.same(ids(await walk(sorts, 'before', { ...opts, from: last })), ids(expected.slice(0, -1)), `${name}: everything before the last row`);
    // From a row inside a run of duplicates (and, for most orders, next to nulls).
    const middle = Math.floor(expected.length / 2);
    t.same(ids(await walk(sorts, 'before', { ...opts, from: expected[middle], pageSize: 5 })), ids(expected.slice(0, middle)), `${name}: before the middle row`);
    t.same(ids(await walk(sorts, 'after', { ...opts, from: expected[middle], pageSize: 5 })), ids(expected.slice(middle + 1)), `${name}: after the middle row`);
  }
});

t.test('every position, both ways, for an order with nulls and duplicates', async (t) => {
  // Exhaustive check of the predicate itself: for each row, "after" and "before" split the rest exactly.
  for (const sorts of [[col('count', 'asc', 'first'), col('title', 'desc', 'last'), ID], [col('count', 'desc', 'last'), ID]]) {
    const all = await fullOrder(sorts);
    const expected = ids(all);
    let mismatches = 0;
    for (let i = 0; i < all.length; i++) {
      const values = sorts.map((s) => all[i][s.column]);
      for (const mode of ['after', 'before'] as const) {
        const rows = await db.query<Fetched>(sql('SELECT id FROM rec WHERE', keysetPredicate(sorts, values, mode), 'ORDER BY', orderByClause(sorts)));
        const want = mode === 'after' ? expected.slice(i + 1) : expected.slice(0, i);
        if (JSON.stringify(ids(rows)) !== JSON.stringify(want)) mismatches++;
      }
    }
    t.equal(mismatches, 0, `${sorts.map((s) => `${s.column} ${s.direction} nulls ${s.nulls}`).join(', ')}: ${all.length * 2} splits`);
  }
});

t.test('rows inserted during a walk cause no duplicates or skips', async (t) => {
  await db.query('CREATE TABLE live (id uuid PRIMARY KEY, k integer, label text COLLATE "C")');
  const r = seeded(7);
  const insert = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const k = r.next() < 0.25 ? null : Math.floor(r.next() * 5);
      await db.query(sql('INSERT INTO live VALUES (', { sql: '?::uuid, ?, ?', bindings: [r.uuid(), k, r.pick(['a', 'b', null])] }, ')'));
    }
  };
  await insert(120);
  const k = (direction: Dir, nulls: Nulls): SortColumn => ({ column: 'k', direction, nulls, kind: 'integer' });
  const label: SortColumn = { column: 'label', direction: 'asc', nulls: 'first', kind: 'text' };
  for (const sorts of [[k('asc', 'first'), ID], [k('desc', 'last'), label, ID]]) {
    const before = new Set(ids(await fullOrder(sorts, { table: 'live' })));
    const visited = await walk(sorts, 'after', { table: 'live', pageSize: 9, between: () => insert(6) });
    const visitedIds = ids(visited);
    t.equal(new Set(visitedIds).size, visitedIds.length, 'no row twice');
    t.same([...before].filter((id) => !visitedIds.includes(id)), [], 'every row that existed at the start was visited');
    // The visited rows appear in the final order in the same sequence: no page went backwards.
    const rank = new Map(ids(await fullOrder(sorts, { table: 'live' })).map((id, i) => [id, i]));
    t.ok(visitedIds.every((id, i) => i === 0 || rank.get(id)! > rank.get(visitedIds[i - 1])!), 'visited in order');
    t.ok(visitedIds.length > before.size, 'some rows inserted ahead of the cursor were picked up too');
  }
});

t.test('a cursor from another order is refused', async (t) => {
  const a = [col('count'), ID];
  const b = [col('count', 'desc'), ID];
  const [first] = await fullOrder(a);
  const cursor = encodeCursor(a.map((s) => first[s.column]), sortSignature(a));
  t.throws(() => decodeCursor(cursor, sortSignature(b)), { code: 'MOSAIC_ERR_QUERY_CURSOR' });
});
