import t from 'tap';
import { MosaicError } from '../../../src/errors/index.js';
import {
  compileFilter,
  FILTER_OPS,
  OPS_BY_KIND,
  parseFilter,
  type LeafKind,
  type ResolveLeaf,
} from '../../../src/records/query/index.js';

/** Each field is named after its kind; `missing` is unknown, as the records layer would say. */
const resolve: ResolveLeaf = (path) => {
  const name = path.join('.');
  const kinds: Record<string, LeafKind> = {
    title: 'text', count: 'integer', amount: 'decimal', flag: 'boolean', day: 'date', at: 'datetime',
    ref: 'uuid', tags: 'text_array', meta: 'json', 'name.first_name': 'text',
  };
  const kind = kinds[name];
  if (kind === undefined) throw new MosaicError('MOSAIC_ERR_QUERY_UNKNOWN_FIELD', `Unknown field "${name}".`);
  return { column: `col_${path.join('_')}`, kind };
};
const compile = (filter: string, alias?: string) => compileFilter(parseFilter(filter), resolve, alias);
const fieldOf: Record<LeafKind, string> = {
  text: 'title', integer: 'count', decimal: 'amount', boolean: 'flag', date: 'day', datetime: 'at',
  uuid: 'ref', text_array: 'tags', json: 'meta',
};

t.test('SQL shape: identifiers bound with ??, values with ?', async (t) => {
  t.same(compile('title[eq]:Acme'), { sql: '?? = ?', bindings: ['col_title', 'Acme'] });
  t.same(compile('title[eq]:Acme', 'r'), { sql: '??.?? = ?', bindings: ['r', 'col_title', 'Acme'] });
  t.same(compile('count[neq]:3'), { sql: '?? IS DISTINCT FROM ?::bigint', bindings: ['col_count', 3] });
  t.same(compile('amount[gte]:0.10'), { sql: '?? >= ?::numeric', bindings: ['col_amount', '0.10'] }, 'decimal keeps its source text');
  t.same(compile('flag[eq]:true'), { sql: '?? = ?::boolean', bindings: ['col_flag', true] });
  t.same(compile('day[lt]:2024-02-29'), { sql: '?? < ?::date', bindings: ['col_day', '2024-02-29'] });
  t.same(compile('at[gt]:"2024-01-31 09:30:00.123456+02"'), { sql: '?? > ?::timestamptz', bindings: ['col_at', '2024-01-31 09:30:00.123456+02'] });
  t.same(compile('ref[in]:[123e4567-e89b-12d3-a456-426614174000]'), {
    sql: '?? IN (?::uuid)', bindings: ['col_ref', '123e4567-e89b-12d3-a456-426614174000'],
  });
  t.same(compile('title[in]:[a,1,007,true]'), { sql: '?? IN (?, ?, ?, ?)', bindings: ['col_title', 'a', '1', '007', 'true'] });
  t.same(compile('tags[containsAny]:[vip,2]'), { sql: '?? && ?::text[]', bindings: ['col_tags', ['vip', '2']] });
  t.same(compile('meta[is]:NULL'), { sql: '?? IS NULL', bindings: ['col_meta'] });
  t.same(compile('tags[is]:NOT_NULL'), { sql: '?? IS NOT NULL', bindings: ['col_tags'] });
  t.same(compile('title[startsWith]:"50%_off\\\\"'), { sql: "?? LIKE ? ESCAPE '\\'", bindings: ['col_title', '50\\%\\_off\\\\%'] });
  t.same(compile('title[ilike]:"%a_c%"'), { sql: '?? ILIKE ?', bindings: ['col_title', '%a_c%'] }, 'like patterns pass through');
  t.same(compile('name.first_name[like]:"A%"'), { sql: '?? LIKE ?', bindings: ['col_name_first_name', 'A%'] });
  t.same(compile('and(count[gt]:1,or(flag[eq]:false,not(title[is]:NULL)))'), {
    sql: '(?? > ?::bigint AND (?? = ?::boolean OR (?? IS NULL) IS NOT TRUE))',
    bindings: ['col_count', 1, 'col_flag', false, 'col_title'],
  });
  // A hostile column name stays a binding, never SQL text.
  const evil = compileFilter(parseFilter('x[eq]:1'), () => ({ column: 'a"; drop table t; --', kind: 'integer' }));
  t.equal(evil.sql, '?? = ?::bigint');
  t.equal(evil.bindings[0], 'a"; drop table t; --');
});

t.test('operators allowed per kind', async (t) => {
  const sample: Record<LeafKind, string> = {
    text: 'x', integer: '1', decimal: '1.5', boolean: 'true', date: '2024-01-01', datetime: '2024-01-01T00:00:00Z',
    uuid: '123e4567-e89b-12d3-a456-426614174000', text_array: 'x', json: 'x',
  };
  for (const kind of Object.keys(OPS_BY_KIND) as LeafKind[]) {
    for (const op of FILTER_OPS) {
      const value = op === 'is' ? 'NULL' : op === 'in' || op === 'containsAny' ? `[${sample[kind]}]` : sample[kind];
      const filter = `${fieldOf[kind]}[${op}]:${value}`;
      if (OPS_BY_KIND[kind].includes(op)) {
        t.doesNotThrow(() => compile(filter), filter);
      } else {
        t.throws(() => compile(filter), {
          code: 'MOSAIC_ERR_QUERY_OPERATOR',
          message: new RegExp(`\\[${op}\\] cannot be used on "${fieldOf[kind]}".*use one of ${OPS_BY_KIND[kind].join(', ')}\\.`),
        }, filter);
      }
    }
  }
});

t.test('values checked per kind', async (t) => {
  const bad: [string, RegExp][] = [
    ['count[eq]:1.5', /"count" must be a whole number.*got 1.5/],
    ['count[eq]:1e16', /whole number/],
    ['count[eq]:"1"', /whole number.*got "1"/],
    ['count[in]:[1,x]', /whole number.*got "x"/],
    ['amount[eq]:1e400', /"amount" must be a number such as 12.5.*got 1e400/],
    ['amount[eq]:abc', /number/],
    ['flag[eq]:yes', /"flag" must be true or false \(got "yes"\)/],
    ['flag[eq]:1', /true or false/],
    ['day[eq]:2023-02-29', /"day" must be a date written YYYY-MM-DD/],
    ['day[eq]:2024-13-01', /YYYY-MM-DD/],
    ['day[eq]:0000-01-01', /YYYY-MM-DD/],
    ['day[eq]:20240101', /YYYY-MM-DD.*got 20240101/],
    ['at[eq]:yesterday', /"at" must be an ISO 8601 date-time/],
    ['at[eq]:2024-01-01T25:00:00Z', /ISO 8601/],
    ['at[eq]:2024-01-01T10:00:00+16:00', /ISO 8601/],
    ['ref[eq]:abc', /"ref" must be a uuid/],
    ['ref[eq]:123e4567e89b12d3a456426614174000', /uuid/],
    ['title[in]:[]', /list of 1 to 500 items \(got 0\)/],
    [`title[in]:[${Array.from({ length: 501 }, (_, i) => i).join(',')}]`, /list of 1 to 500 items \(got 501\)/],
    [`tags[containsAny]:[]`, /list of 1 to 500/],
  ];
  for (const [filter, message] of bad) {
    t.throws(() => compile(filter), { code: 'MOSAIC_ERR_QUERY_VALUE', message }, filter.slice(0, 60));
  }
  t.doesNotThrow(() => compile('count[eq]:9007199254740992'), '2^53 itself');
  t.doesNotThrow(() => compile('count[eq]:-9007199254740992'));
  t.doesNotThrow(() => compile('count[eq]:1e3'), 'exponent form of an integer');
  t.doesNotThrow(() => compile(`title[in]:[${Array.from({ length: 500 }, (_, i) => i).join(',')}]`), '500 items');
  t.doesNotThrow(() => compile('day[eq]:2000-02-29'));
  for (const ok of ['2024-01-01', '2024-01-01T10:00', '2024-01-01T10:00:00', '2024-01-01T10:00:00.5Z', '"2024-01-01 10:00:00.123456+05:30"', '2024-01-01T10:00:00-0800']) {
    t.doesNotThrow(() => compile(`at[eq]:${ok}`), ok);
  }
});

t.test('unknown fields come from the resolver', async (t) => {
  t.throws(() => compile('and(title[eq]:1,missing[eq]:1)'), { code: 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD' });
});
