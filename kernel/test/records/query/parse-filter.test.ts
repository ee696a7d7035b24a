import t, { type Test } from 'tap';
import { isMosaicError } from '../../../src/errors/index.js';
import {
  FILTER_OPS,
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  parseFilter,
  type FilterLiteral,
  type FilterNode,
  type FilterOp,
} from '../../../src/records/query/index.js';

const str = (value: string): FilterLiteral => ({ type: 'string', value });
const num = (raw: string): FilterLiteral => ({ type: 'number', value: Number(raw), raw });
const cmp = (path: string, op: FilterOp, value: FilterLiteral): FilterNode => ({
  kind: 'cmp', path: path.split('.'), op, value,
});

/** Runs `fn`, expecting a MosaicError with `code` whose message matches every pattern. */
function throwsCode(tt: Test, fn: () => unknown, code: string, ...patterns: RegExp[]): void {
  try {
    fn();
    tt.fail(`expected ${code}`);
  } catch (err) {
    if (!isMosaicError(err)) throw err;
    tt.equal(err.code, code);
    for (const p of patterns) tt.match(err.message, p);
  }
}

t.test('every operator parses', async (t) => {
  for (const op of FILTER_OPS) {
    const value = op === 'is' ? 'NULL' : op === 'in' || op === 'containsAny' ? '[1]' : '1';
    const text = `f[${op}]:${value}`;
    const node = parseFilter(text);
    t.equal(node.kind === 'cmp' && node.op, op, text);
  }
});

t.test('literals', async (t) => {
  const cases: [string, FilterLiteral][] = [
    ['"hello world"', str('hello world')],
    ['""', str('')],
    ['"say \\"hi\\""', str('say "hi"')],
    ['"back\\\\slash"', str('back\\slash')],
    ['"a,b)(]["', str('a,b)(][')],
    ['"ünïcødé ✓"', str('ünïcødé ✓')],
    ['"NULL"', str('NULL')],
    ['"true"', str('true')],
    ['"12"', str('12')],
    ['10', num('10')],
    ['-12.5', num('-12.5')],
    ['1e3', num('1e3')],
    ['2.5E-2', num('2.5E-2')],
    ['007', num('007')],
    ['true', { type: 'boolean', value: true }],
    ['false', { type: 'boolean', value: false }],
    ['won', str('won')],
    ['2024-01-01', str('2024-01-01')],
    ['2024-01-01T10:00:00+02:00', str('2024-01-01T10:00:00+02:00')],
    ['a.b@example.com', str('a.b@example.com')],
    ['TRUE', str('TRUE')],
    ['Null', str('Null')],
    ['-', str('-')],
    ['1.2.3', str('1.2.3')],
    ['123e4567-e89b-12d3-a456-426614174000', str('123e4567-e89b-12d3-a456-426614174000')],
  ];
  for (const [text, expected] of cases) {
    t.same(parseFilter(`f[eq]:${text}`), cmp('f', 'eq', expected), text);
  }
  t.same(parseFilter('f[is]:NULL'), cmp('f', 'is', { type: 'null' }));
  t.same(parseFilter('f[is]:NOT_NULL'), cmp('f', 'is', { type: 'not_null' }));
  t.same(parseFilter('f[in]:[1,2,3]'), cmp('f', 'in', { type: 'list', items: [num('1'), num('2'), num('3')] }));
  t.same(parseFilter('f[in]:["a","b"]'), cmp('f', 'in', { type: 'list', items: [str('a'), str('b')] }));
  t.same(parseFilter('f[containsAny]:[ vip , "big deal", true ]'), cmp('f', 'containsAny', {
    type: 'list', items: [str('vip'), str('big deal'), { type: 'boolean', value: true }],
  }));
  t.same(parseFilter('f[in]:[]'), cmp('f', 'in', { type: 'list', items: [] }), 'empty list parses; the compiler rejects it');
});

t.test('paths', async (t) => {
  t.same(parseFilter('name.first_name[eq]:Ada'), cmp('name.first_name', 'eq', str('Ada')));
  t.same(parseFilter('a1_b2[eq]:x'), cmp('a1_b2', 'eq', str('x')));
  // and/or/not are only groups when followed by "(", so fields may use those names.
  t.same(parseFilter('and[eq]:1'), cmp('and', 'eq', num('1')));
  t.same(parseFilter('not [eq]:1'), cmp('not', 'eq', num('1')));
});

t.test('groups, nesting and implicit and', async (t) => {
  t.same(parseFilter('and(name[ilike]:"%acme%",or(employees[gte]:10,city[is]:NULL))'), {
    kind: 'and',
    children: [
      cmp('name', 'ilike', str('%acme%')),
      { kind: 'or', children: [cmp('employees', 'gte', num('10')), cmp('city', 'is', { type: 'null' })] },
    ],
  });
  t.same(parseFilter('not(a[eq]:1)'), { kind: 'not', child: cmp('a', 'eq', num('1')) });
  t.same(parseFilter('a[eq]:1,b[neq]:2'), { kind: 'and', children: [cmp('a', 'eq', num('1')), cmp('b', 'neq', num('2'))] });
  t.same(parseFilter('or(a[eq]:1)'), { kind: 'or', children: [cmp('a', 'eq', num('1'))] }, 'single-child group kept');
  t.same(parseFilter('a[eq]:1,not(or(b[lt]:2,and(c[gt]:3,d[is]:NOT_NULL)))'), {
    kind: 'and',
    children: [
      cmp('a', 'eq', num('1')),
      { kind: 'not', child: { kind: 'or', children: [cmp('b', 'lt', num('2')), { kind: 'and', children: [cmp('c', 'gt', num('3')), cmp('d', 'is', { type: 'not_null' })] }] } },
    ],
  });
  const deep = `${'and('.repeat(MAX_FILTER_DEPTH)}a[eq]:1${')'.repeat(MAX_FILTER_DEPTH)}`;
  let node = parseFilter(deep);
  for (let i = 0; i < MAX_FILTER_DEPTH; i++) node = (node as { children: FilterNode[] }).children[0];
  t.same(node, cmp('a', 'eq', num('1')), `${MAX_FILTER_DEPTH} levels are fine`);
  const many = Array.from({ length: MAX_FILTER_CONDITIONS }, (_, i) => `f${i}[eq]:${i}`).join(',');
  t.equal((parseFilter(many) as { children: unknown[] }).children.length, MAX_FILTER_CONDITIONS);
});

t.test('whitespace around tokens', async (t) => {
  const spaced = ' \n and ( name [ ilike ] : "%acme%" ,\t or ( employees[ gte ]: 10 , city [is] :NULL ) ) \r\n';
  t.same(parseFilter(spaced), parseFilter('and(name[ilike]:"%acme%",or(employees[gte]:10,city[is]:NULL))'));
  t.same(parseFilter('f[in]: [ 1 , 2 ]'), parseFilter('f[in]:[1,2]'));
  t.same(parseFilter('f[eq]:"  keep inner spaces  "'), cmp('f', 'eq', str('  keep inner spaces  ')));
});

t.test('syntax errors name the position', async (t) => {
  const S = 'MOSAIC_ERR_QUERY_FILTER_SYNTAX';
  const cases: [string, RegExp[]][] = [
    ['', [/empty/]],
    ['   ', [/empty/]],
    ['and(a[eq]:1', [/end of the filter at position 11/, /close and\( opened at position 0/]],
    ['and(a[eq]:1))', [/Unexpected "\)" at position 12/]],
    ['a[eq]:1)', [/Unexpected "\)" at position 7/]],
    ['and()', [/and\(\) at position 0 is empty/]],
    ['name:1', [/Unexpected ":" at position 4/, /"\[" and an operator after the field "name"/]],
    ['name[]:1', [/position 5/, /expected an operator/]],
    ['name[foo]:1', [/Unknown operator "foo" at position 5/, /startsWith/]],
    ['name[EQ]:1', [/Unknown operator "EQ"/]],
    ['name[eq:1', [/Unexpected ":" at position 7/, /"\]"/]],
    ['name[eq]1', [/Unexpected "1" at position 8/, /":"/]],
    ['name[eq]:', [/end of the filter at position 9/, /expected a value/]],
    ['name[eq]:"abc', [/string starting at position 9 is not closed/]],
    ['name[eq]:"a\\nb"', [/Unknown escape "\\n" at position 11/]],
    ['name[is]:"x"', [/name\[is\] \(value at position 9\)/, /only NULL or NOT_NULL/]],
    ['name[is]:true', [/only NULL or NOT_NULL/]],
    ['name[eq]:NULL', [/position 9/, /only be used with \[is\]/]],
    ['name[in]:1', [/position 9/, /needs a list/]],
    ['name[containsAny]:"a"', [/needs a list/]],
    ['name[eq]:[1,2]', [/position 9/, /only allowed with \[in\] or \[containsAny\]/]],
    ['name[in]:[1,NULL]', [/cannot be list items \(position 12\)/]],
    ['name[in]:[[1]]', [/Lists cannot be nested \(position 10\)/]],
    ['name[in]:[1,]', [/position 12/]],
    ['name[in]:[1 2]', [/Unexpected "2" at position 12/, /"," or "\]"/]],
    ['name[in]:[1', [/end of the filter at position 11/]],
    ['name[eq]:won lost', [/Unexpected "lost" at position 13/]],
    ['name[eq]:1 garbage', [/Unexpected "garbage" at position 11/]],
    ['name[eq]:1,', [/end of the filter at position 11/, /field name/]],
    [',name[eq]:1', [/Unexpected "," at position 0/]],
    ['Name[eq]:1', [/Unexpected "Name" at position 0/, /lower case/]],
    ['name.[eq]:1', [/Unexpected "\[" at position 5/, /sub-field/]],
    ['a.b.c[eq]:1', [/Unexpected "\." at position 3/]],
    ['not(a[eq]:1,b[eq]:2)', [/not\( at position 0 has 2 conditions/]],
    ['or(a[eq]:1;b[eq]:2)', [/Unexpected ";" at position 10/]],
    ['name[eq]:"x"\u0000', [/Unexpected "\\u0000" at position 12/]],
  ];
  for (const [text, patterns] of cases) {
    t.test(JSON.stringify(text), async (t) => throwsCode(t, () => parseFilter(text), S, ...patterns));
  }
});

t.test('limits are errors, not crashes', async (t) => {
  const S = 'MOSAIC_ERR_QUERY_FILTER_SYNTAX';
  const tooDeep = `${'and('.repeat(MAX_FILTER_DEPTH + 1)}a[eq]:1${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
  throwsCode(t, () => parseFilter(tooDeep), S, /more than 32 levels deep \(at position 128\)/);
  // Far deeper than any stack allows: the depth cap must fire before recursion hurts.
  const huge = 'not('.repeat(1_999);
  throwsCode(t, () => parseFilter(huge), S, /levels deep/);
  const tooLong = `name[eq]:"${'x'.repeat(MAX_FILTER_LENGTH)}"`;
  throwsCode(t, () => parseFilter(tooLong), S, /8011 characters long; at most 8000/);
  const tooMany = Array.from({ length: MAX_FILTER_CONDITIONS + 1 }, (_, i) => `a[eq]:${i}`).join(',');
  throwsCode(t, () => parseFilter(tooMany), S, /more than 200 conditions/, /position 1890/);
});
