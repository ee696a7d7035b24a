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
  deep.charCodeAt(0); // V8 flattens the concatenation on first access; time the scan, not that copy
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

/** What `parseGuardedJson` answered before its fast path: always the full scan, then `JSON.parse`. */
function scanThenParse(text: string, l: { maxChars: number; maxDepth: number }): ReturnType<typeof parseGuardedJson> {
  const refusal = checkJsonShape(text, l);
  if (refusal) return { ok: false, refusal };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, refusal: 'malformed' };
  }
}

t.test('the fast path for texts with few openers still refuses too deep, too long and invalid JSON', async (t) => {
  const small = { maxChars: 40, maxDepth: 3 };
  // Short enough to skip the scan (length <= maxDepth), yet every one is still refused or parsed as before.
  t.same(parseGuardedJson('[[[', small), { ok: false, refusal: 'malformed' }, 'unclosed, at the depth limit');
  t.same(parseGuardedJson('"ab', small), { ok: false, refusal: 'malformed' }, 'unclosed string');
  t.same(parseGuardedJson(']', small), { ok: false, refusal: 'malformed' });
  t.same(parseGuardedJson('', small), { ok: false, refusal: 'malformed' });
  t.same(parseGuardedJson('[1]', small), { ok: true, value: [1] });
  // Few openers but long: skips the scan; brackets inside strings only make the count more cautious.
  t.same(parseGuardedJson('{"a":[1,2,"[[[[[[[["]}', small), { ok: true, value: { a: [1, 2, '[[[[[[[['] } }, 'openers in strings send it to the scan, which accepts');
  t.same(parseGuardedJson('{"a":[{"b":1}]}', small), { ok: true, value: { a: [{ b: 1 }] } }, 'exactly maxDepth openers');
  t.same(parseGuardedJson('{"a":[{"b":{}}]}', small), { ok: false, refusal: 'too-deep' }, 'one opener more goes through the scan');
  t.same(parseGuardedJson('[[[[1]]]]', small), { ok: false, refusal: 'too-deep' });
  t.same(parseGuardedJson('[[[[', small), { ok: false, refusal: 'too-deep' }, 'unclosed and too deep: reported as too deep, as before');
  t.same(parseGuardedJson('{"a" 1}', small), { ok: false, refusal: 'malformed' }, 'grammar errors are left to JSON.parse');
  t.same(parseGuardedJson('[1, 2] x', small), { ok: false, refusal: 'malformed' });
  t.same(parseGuardedJson(`["${'x'.repeat(40)}"]`, small), { ok: false, refusal: 'too-long' }, 'length is checked before anything else');
  t.same(parseGuardedJson('[]', { maxChars: 40, maxDepth: 0 }), { ok: false, refusal: 'too-deep' }, 'depth 0 allows scalars only');
  t.same(parseGuardedJson('7', { maxChars: 40, maxDepth: 0 }), { ok: true, value: 7 });
  t.same(parseGuardedJson('{"__proto__":{"x":1}}', small), { ok: true, value: JSON.parse('{"__proto__":{"x":1}}') }, '__proto__ stays an own key');
});

t.test('the fast path answers exactly what the full scan answered, for every short text over a bracket-heavy alphabet', async (t) => {
  const alphabet = ['[', ']', '{', '}', '"', '\\', ':', ',', '1', 'a'];
  let checked = 0;
  let differing: string | null = null;
  // Every text of up to 5 characters (111,111 of them), at depth limits below, at and above their
  // openers, with the length limit cutting the longest ones.
  const visit = (text: string): void => {
    for (const maxDepth of [0, 1, 2, 3]) {
      const l = { maxChars: 4, maxDepth };
      const got = JSON.stringify(parseGuardedJson(text, l));
      if (got !== JSON.stringify(scanThenParse(text, l)) && differing === null) differing = `${JSON.stringify(text)} at depth ${maxDepth}`;
      checked++;
    }
    if (text.length < 5) for (const c of alphabet) visit(text + c);
  };
  visit('');
  t.equal(differing, null, `no difference in ${checked} comparisons`);
  // Longer random texts: records, nesting, escapes and noise.
  let seed = 42;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const parts = ['[', ']', '{', '}', '"k":', '"v"', '"\\""', '"\\\\"', '"[{"', ',', '1', 'null', ' ', 'x'];
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    for (let j = random(40); j > 0; j--) text += parts[random(parts.length)];
    for (const l of [{ maxChars: 100, maxDepth: 2 }, { maxChars: 1000, maxDepth: 8 }, { maxChars: 30, maxDepth: 64 }]) {
      if (JSON.stringify(parseGuardedJson(text, l)) !== JSON.stringify(scanThenParse(text, l))) {
        t.fail(`differs for ${JSON.stringify(text)} with ${JSON.stringify(l)}`);
        return;
      }
    }
  }
  t.pass('20,000 random texts under three limits agree');
});

t.test('a hostile document still meets the scan, not JSON.parse, when it has many openers', async (t) => {
  // Only the scan answers `too-deep`; JSON.parse would have thrown (malformed) or built the whole thing.
  const deep = '['.repeat(5_000_000) + ']'.repeat(5_000_000);
  t.same(parseGuardedJson(deep, { maxChars: 20_000_000, maxDepth: 64 }), { ok: false, refusal: 'too-deep' });
  t.same(parseGuardedJson('{"a":'.repeat(65) + '1' + '}'.repeat(65), { maxChars: 1000, maxDepth: 64 }), { ok: false, refusal: 'too-deep' });
  const wide = `[${'{"a":"'.repeat(1) + 'x'.repeat(3_000_000)}"}${',{}'.repeat(100)}]`;
  t.same(parseGuardedJson(wide, { maxChars: 20_000_000, maxDepth: 2 }), { ok: true, value: JSON.parse(wide) }, 'many openers, shallow: scanned and accepted');
});
