import { MosaicError } from '../../errors/index.js';
import { FILTER_OPS, isFilterOp, type FilterLiteral, type FilterNode, type FilterOp } from './ast.js';

/** Longest filter text accepted, in characters. */
export const MAX_FILTER_LENGTH = 8_000;
/** Deepest nesting of `and(`/`or(`/`not(` groups accepted. */
export const MAX_FILTER_DEPTH = 32;
/** Most comparisons one filter may hold. */
export const MAX_FILTER_CONDITIONS = 200;

const GROUPS = new Set(['and', 'or', 'not']);
const IDENT_START = /[a-z]/;
const IDENT_CHAR = /[a-z0-9_]/;
const OP_CHAR = /[A-Za-z]/;
const BARE_CHAR = /[A-Za-z0-9_\-.:@+]/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const WHITESPACE = /[ \t\r\n]/;

/**
 * Parses the `filter` query parameter, e.g. `and(name[ilike]:"%acme%",or(employees[gte]:10,city[is]:NULL))`.
 * A top-level comma list is an implicit `and`; a single top-level node is returned as is.
 *
 * Only the grammar is checked here: whether a field exists, and whether an operator or value fits its
 * type, is for {@link compileFilter}. Errors are `MOSAIC_ERR_QUERY_FILTER_SYNTAX` and name the 0-based
 * character position, like `JSON.parse` does.
 */
export function parseFilter(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) {
    throw syntaxError(`The filter is ${text.length} characters long; at most ${MAX_FILTER_LENGTH} are allowed.`);
  }
  return new FilterParser(text).parse();
}

function syntaxError(message: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_QUERY_FILTER_SYNTAX', message, [{ path: 'filter', message }]);
}

/** One pass over the text; a class only to keep the cursor and counters together. */
class FilterParser {
  readonly #text: string;
  #pos = 0;
  #depth = 0;
  #conditions = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): FilterNode {
    this.#skipWhitespace();
    if (this.#pos >= this.#text.length) throw syntaxError('The filter is empty; expected a condition such as name[eq]:"Acme".');
    const nodes = this.#parseList();
    if (this.#pos < this.#text.length) this.#fail('"," or the end of the filter');
    return nodes.length === 1 ? nodes[0] : { kind: 'and', children: nodes };
  }

  /** `node (, node)*` — stops, without consuming, at `)` or the end. */
  #parseList(): FilterNode[] {
    const nodes = [this.#parseNode()];
    for (;;) {
      this.#skipWhitespace();
      if (this.#peek() !== ',') return nodes;
      this.#pos++;
      this.#skipWhitespace();
      nodes.push(this.#parseNode());
    }
  }

  #parseNode(): FilterNode {
    const start = this.#pos;
    if (!IDENT_START.test(this.#peek())) {
      this.#fail('a field name (lower case, e.g. name) or and(, or(, not(');
    }
    const word = this.#readWhile(IDENT_CHAR);
    // `and`, `or` and `not` are only keywords when a `(` follows, so fields may still use those names.
    this.#skipWhitespace();
    if (GROUPS.has(word) && this.#peek() === '(') return this.#parseGroup(word as 'and' | 'or' | 'not', start);
    return this.#parseComparison(word, start);
  }

  #parseGroup(kind: 'and' | 'or' | 'not', start: number): FilterNode {
    if (++this.#depth > MAX_FILTER_DEPTH) {
      throw syntaxError(`The filter nests groups more than ${MAX_FILTER_DEPTH} levels deep (at position ${start}).`);
    }
    this.#pos++; // the `(`
    this.#skipWhitespace();
    if (this.#peek() === ')') throw syntaxError(`${kind}() at position ${start} is empty; it needs at least one condition.`);
    const children = this.#parseList();
    this.#skipWhitespace();
    if (this.#peek() !== ')') this.#fail(`"," or ")" to close ${kind}( opened at position ${start}`);
    this.#pos++;
    this.#depth--;
    if (kind !== 'not') return { kind, children };
    if (children.length !== 1) {
      throw syntaxError(`not( at position ${start} has ${children.length} conditions; it takes exactly one (wrap several in and(...) or or(...)).`);
    }
    return { kind: 'not', child: children[0] };
  }

  #parseComparison(first: string, start: number): FilterNode {
    const path = [first];
    if (this.#peek() === '.') {
      this.#pos++;
      if (!IDENT_START.test(this.#peek())) this.#fail(`a sub-field name after "${first}."`);
      path.push(this.#readWhile(IDENT_CHAR));
      this.#skipWhitespace();
    }
    const field = path.join('.');
    if (this.#peek() !== '[') this.#fail(`"[" and an operator after the field "${field}", e.g. ${field}[eq]:value`);
    this.#pos++;
    this.#skipWhitespace();
    const opStart = this.#pos;
    const opName = this.#readWhile(OP_CHAR);
    if (opName === '') this.#fail(`an operator (${FILTER_OPS.join(', ')})`);
    if (!isFilterOp(opName)) {
      throw syntaxError(`Unknown operator "${opName}" at position ${opStart}; use one of ${FILTER_OPS.join(', ')}.`);
    }
    this.#skipWhitespace();
    if (this.#peek() !== ']') this.#fail(`"]" to close the operator of "${field}"`);
    this.#pos++;
    this.#skipWhitespace();
    if (this.#peek() !== ':') this.#fail(`":" and a value after ${field}[${opName}]`);
    this.#pos++;
    this.#skipWhitespace();
    const valueStart = this.#pos;
    const value = this.#peek() === '[' ? this.#parseListLiteral() : this.#parseScalar();
    checkValueFitsOp(field, opName, value, valueStart);
    if (++this.#conditions > MAX_FILTER_CONDITIONS) {
      throw syntaxError(`The filter has more than ${MAX_FILTER_CONDITIONS} conditions (the one at position ${start} is one too many).`);
    }
    return { kind: 'cmp', path, op: opName, value };
  }

  /** A `[a, b]` list of scalar values. */
  #parseListLiteral(): FilterLiteral {
    this.#pos++; // the `[`
    const items: FilterLiteral[] = [];
    this.#skipWhitespace();
    if (this.#peek() === ']') {
      this.#pos++;
      return { type: 'list', items };
    }
    for (;;) {
      this.#skipWhitespace();
      const itemStart = this.#pos;
      if (this.#peek() === '[') throw syntaxError(`Lists cannot be nested (position ${itemStart}).`);
      const item = this.#parseScalar();
      if (item.type === 'null' || item.type === 'not_null') {
        throw syntaxError(`NULL and NOT_NULL cannot be list items (position ${itemStart}); use field[is]:NULL instead.`);
      }
      items.push(item);
      this.#skipWhitespace();
      const c = this.#peek();
      this.#pos++;
      if (c === ']') return { type: 'list', items };
      if (c !== ',') {
        this.#pos--;
        this.#fail('"," or "]" in the list');
      }
    }
  }

  #parseScalar(): FilterLiteral {
    if (this.#peek() === '"') return { type: 'string', value: this.#readQuoted() };
    const raw = this.#readWhile(BARE_CHAR);
    if (raw === '') this.#fail('a value: a "quoted string", a number, true, false, NULL, NOT_NULL, a [list] or a bare word');
    if (raw === 'true' || raw === 'false') return { type: 'boolean', value: raw === 'true' };
    if (raw === 'NULL') return { type: 'null' };
    if (raw === 'NOT_NULL') return { type: 'not_null' };
    if (NUMBER.test(raw)) return { type: 'number', value: Number(raw), raw };
    return { type: 'string', value: raw };
  }

  #readQuoted(): string {
    const start = this.#pos;
    this.#pos++; // the opening quote
    let out = '';
    for (;;) {
      if (this.#pos >= this.#text.length) throw syntaxError(`The string starting at position ${start} is not closed; add a closing ".`);
      const c = this.#text[this.#pos++];
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const escaped = this.#text[this.#pos];
      if (escaped !== '"' && escaped !== '\\') {
        throw syntaxError(`Unknown escape "\\${escaped ?? ''}" at position ${this.#pos - 1}; only \\" and \\\\ are allowed inside strings.`);
      }
      out += escaped;
      this.#pos++;
    }
  }

  #readWhile(pattern: RegExp): string {
    const start = this.#pos;
    while (this.#pos < this.#text.length && pattern.test(this.#text[this.#pos])) this.#pos++;
    return this.#text.slice(start, this.#pos);
  }

  #skipWhitespace(): void {
    while (this.#pos < this.#text.length && WHITESPACE.test(this.#text[this.#pos])) this.#pos++;
  }

  /** The current character, or '' at the end (so regex tests and comparisons simply fail). */
  #peek(): string {
    return this.#text[this.#pos] ?? '';
  }

  #fail(expected: string): never {
    throw syntaxError(`Unexpected ${this.#describeHere()} at position ${this.#pos}; expected ${expected}.`);
  }

  /** What stands at the cursor, quoted the way a user would search for it in their filter. */
  #describeHere(): string {
    if (this.#pos >= this.#text.length) return 'end of the filter';
    // A word is shown whole; punctuation alone, so `name:1` reports ":" rather than ":1".
    const run = /^[A-Za-z0-9_][A-Za-z0-9_\-.:@+]*/.exec(this.#text.slice(this.#pos, this.#pos + 24));
    const token = run ? run[0] : this.#text[this.#pos];
    return JSON.stringify(token.length > 20 ? `${token.slice(0, 20)}…` : token);
  }
}

/** The operator-shape rules that need no metadata: NULL only with `is`, lists exactly with `in`/`containsAny`. */
function checkValueFitsOp(field: string, op: FilterOp, value: FilterLiteral, at: number): void {
  const where = `${field}[${op}] (value at position ${at})`;
  if (op === 'is') {
    if (value.type !== 'null' && value.type !== 'not_null') {
      throw syntaxError(`${where}: [is] accepts only NULL or NOT_NULL; to compare with a value use [eq].`);
    }
    return;
  }
  if (value.type === 'null' || value.type === 'not_null') {
    throw syntaxError(`${where}: NULL and NOT_NULL can only be used with [is], e.g. ${field}[is]:NULL.`);
  }
  const wantsList = op === 'in' || op === 'containsAny';
  if (wantsList && value.type !== 'list') {
    throw syntaxError(`${where}: [${op}] needs a list such as [1,2] or ["a","b"].`);
  }
  if (!wantsList && value.type === 'list') {
    throw syntaxError(`${where}: a list is only allowed with [in] or [containsAny].`);
  }
}
