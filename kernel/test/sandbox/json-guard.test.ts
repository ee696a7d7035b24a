import t from 'tap';
import { checkJsonShape, parseGuardedJson } from '../../src/sandbox/index.js';

const limits = { maxChars: 1000, maxDepth: 3 };

t.test('accepts JSON within length and depth', async (t) => {
  for (const text of ['1', '"s"', 'null', '[]', '{}', '[[[]]]', '{"a":{"b":[1]}}', '[1,[2,[3]],{"x":[4]}]']) {
    t.equal(checkJsonShape(text, limits), null, text);
  }
  t.same(parseGuardedJson('{"a":[1,2]}', limits), { ok: true, value: { a: [1, 2] } });
});

t.test('counts depth outside strings only, honouring escapes', async (t) => {
  t.equal(checkJsonShape('"[[[[[[[[[[{{{{{{"', limits), null, 'brackets inside a string do not nest');
  t.equal(checkJsonShape('["\\"[[[[[[", 1]', limits), null, 'an escaped quote does not end the string');
  t.equal(checkJsonShape('["\\\\", [[[1]]]]', limits), 'too-deep', 'an escaped backslash does end the escape');
  t.equal(checkJsonShape('[[[[1]]]]', limits), 'too-deep');
  t.equal(checkJsonShape('{"a":{"b":{"c":{}}}}', limits), 'too-deep');
});

t.test('refuses long, unbalanced and malformed text without throwing', async (t) => {
  t.equal(checkJsonShape('x'.repeat(1001), limits), 'too-long');
  t.equal(checkJsonShape(']', limits), 'malformed');
  t.equal(checkJsonShape('[', limits), 'malformed');
  t.equal(checkJsonShape('"open', limits), 'malformed');
  t.same(parseGuardedJson('{nope}', limits), { ok: false, refusal: 'malformed' });
  t.same(parseGuardedJson('[[[[1]]]]', limits), { ok: false, refusal: 'too-deep' });
});

t.test('a hostile document is refused in linear time, before JSON.parse sees it', async (t) => {
  const deep = '['.repeat(5_000_000) + ']'.repeat(5_000_000);
  let start = performance.now();
  t.equal(checkJsonShape(deep, { maxChars: 20_000_000, maxDepth: 64 }), 'too-deep');
  t.ok(performance.now() - start < 50, 'stops at the first level past the limit');
  const flat = JSON.stringify(Array.from({ length: 400_000 }, (_, i) => ({ id: i, name: `n${i}` })));
  start = performance.now();
  t.equal(checkJsonShape(flat, { maxChars: 20_000_000, maxDepth: 64 }), null);
  const ms = performance.now() - start;
  t.comment(`scanned ${(flat.length / 1e6).toFixed(1)} MB of JSON in ${ms.toFixed(1)} ms`);
  t.ok(ms < 500, 'a full scan of a large flat document stays cheap');
});
