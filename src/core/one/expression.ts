/**
 * Derived series of an ALF object, such as `feedback_times - goCue_times`: arithmetic (+ - * /,
 * unary minus, parentheses) on attribute names and numbers, evaluated element by element. A
 * tiny recursive-descent parser, so that nothing typed into a view is ever run as code (no eval).
 *
 * Grammar:  expr := term (('+' | '-') term)* ;  term := unary (('*' | '/') unary)* ;
 *           unary := '-' unary | '+' unary | atom ;  atom := number | name | '(' expr ')'
 * A name is an attribute key as ONE gives it: letters, digits, '_' and '.', optionally followed
 * by a column index `[k]` for a 2-D attribute (`intervals[1]`: the end of each interval).
 */

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string; column: number | null }
  | { kind: 'neg'; operand: Expr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr };

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    /** Character offset in the expression the error is about (for the form to point at). */
    readonly position: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'number' | 'name' | 'op' | 'end';
  text: string;
  at: number;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if ('+-*/()'.includes(c)) {
      tokens.push({ kind: 'op', text: c, at: i++ });
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(i));
    if (num) {
      tokens.push({ kind: 'number', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    if (NAME_START.test(c)) {
      const start = i;
      while (i < source.length && NAME_CHAR.test(source[i] as string)) i++;
      // A column index belongs to the name: intervals[1].
      const index = /^\[\s*(\d+)\s*\]/.exec(source.slice(i));
      if (index) i += index[0].length;
      tokens.push({ kind: 'name', text: source.slice(start, i), at: start });
      continue;
    }
    throw new ExpressionError(`unexpected "${c}" at character ${i + 1}: use attribute names, numbers, + - * / and parentheses`, i);
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}

/** Parses an expression; throws ExpressionError naming the character where it went wrong. */
export function parseExpression(source: string): Expr {
  if (source.trim() === '') throw new ExpressionError('the expression is empty: type e.g. feedback_times - goCue_times', 0);
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const next = (): Token => tokens[pos++] as Token;
  const describeToken = (t: Token) => (t.kind === 'end' ? 'the end of the expression' : `"${t.text}" at character ${t.at + 1}`);

  const expr = (): Expr => {
    let left = term();
    while (peek().kind === 'op' && (peek().text === '+' || peek().text === '-')) {
      const op = next().text as '+' | '-';
      left = { kind: 'binary', op, left, right: term() };
    }
    return left;
  };
  const term = (): Expr => {
    let left = unary();
    while (peek().kind === 'op' && (peek().text === '*' || peek().text === '/')) {
      const op = next().text as '*' | '/';
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    const t = peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      next();
      const operand = unary();
      return t.text === '-' ? { kind: 'neg', operand } : operand;
    }
    return atom();
  };
  const atom = (): Expr => {
    const t = next();
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.kind === 'name') {
      const m = /^(.*?)(?:\[\s*(\d+)\s*\])?$/.exec(t.text) as RegExpExecArray;
      return { kind: 'name', name: m[1] as string, column: m[2] === undefined ? null : Number(m[2]) };
    }
    if (t.kind === 'op' && t.text === '(') {
      const inner = expr();
      const close = next();
      if (close.kind !== 'op' || close.text !== ')') throw new ExpressionError(`expected ")" to close the "(" at character ${t.at + 1}, found ${describeToken(close)}`, close.at);
      return inner;
    }
    throw new ExpressionError(`expected an attribute name, a number or "(", found ${describeToken(t)}`, t.at);
  };

  const result = expr();
  const rest = peek();
  if (rest.kind !== 'end') throw new ExpressionError(`unexpected ${describeToken(rest)}: expected an operator (+ - * /)`, rest.at);
  return result;
}

/** The attribute names an expression uses, in order of first use. */
export function expressionNames(e: Expr): string[] {
  const out: string[] = [];
  const walk = (x: Expr): void => {
    if (x.kind === 'name') {
      if (!out.includes(x.name)) out.push(x.name);
    } else if (x.kind === 'neg') walk(x.operand);
    else if (x.kind === 'binary') {
      walk(x.left);
      walk(x.right);
    }
  };
  walk(e);
  return out;
}

/** An attribute as the evaluator sees it: values in C order and the shape. */
export interface SeriesSource {
  shape: readonly number[];
  /** Numbers (64-bit integers must already be converted, e.g. with DecodeOptions int64: 'number'). */
  data: ArrayLike<number>;
}

/**
 * Evaluates `source` over the attributes, element by element, into one value per row (the first
 * axis). Names must be 1-D attributes (or 2-D ones with a column index); every series must have
 * the same length (a number is broadcast). Division by zero gives ±Infinity or NaN, as NumPy.
 */
export function evaluateExpression(source: string | Expr, attributes: Readonly<Record<string, SeriesSource>>): Float64Array {
  const e = typeof source === 'string' ? parseExpression(source) : source;
  const names = Object.keys(attributes);
  let length: number | null = null;
  let lengthFrom = '';
  const column = (x: Extract<Expr, { kind: 'name' }>): ArrayLike<number> => {
    const a = attributes[x.name];
    const label = x.column === null ? x.name : `${x.name}[${x.column}]`;
    if (!a || !Object.prototype.hasOwnProperty.call(attributes, x.name)) {
      const close = names.filter((n) => n.toLowerCase() === x.name.toLowerCase());
      const hint = close.length ? `did you mean ${close.join(' or ')}?` : `the attributes are ${names.join(', ') || '(none)'}`;
      throw new ExpressionError(`unknown attribute "${x.name}": ${hint}`, 0);
    }
    const rows = a.shape.length === 0 ? 1 : (a.shape[0] as number);
    const width = a.shape.slice(1).reduce((p, q) => p * q, 1);
    let values: ArrayLike<number>;
    if (x.column === null) {
      if (width !== 1) throw new ExpressionError(`"${x.name}" has shape (${a.shape.join(', ')}): pick a column, e.g. ${x.name}[0]`, 0);
      values = a.data;
    } else {
      if (a.shape.length !== 2 || x.column >= width) {
        throw new ExpressionError(`"${label}": ${x.name} has shape (${a.shape.join(', ')}), so ${a.shape.length === 2 ? `columns 0 to ${width - 1}` : 'no columns'}`, 0);
      }
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = a.data[i * width + x.column] as number;
      values = out;
    }
    if (length === null) {
      length = values.length;
      lengthFrom = label;
    } else if (values.length !== length) {
      throw new ExpressionError(`lengths differ: ${lengthFrom} has ${length} values, ${label} has ${values.length}; they cannot be combined element by element`, 0);
    }
    return values;
  };
  // Numbers are kept scalar until combined, so `2 * 3` alone is one value per row of nothing.
  type Value = number | ArrayLike<number>;
  const ev = (x: Expr): Value => {
    switch (x.kind) {
      case 'number':
        return x.value;
      case 'name':
        return column(x);
      case 'neg':
        return apply((a) => -a, ev(x.operand));
      case 'binary': {
        const l = ev(x.left);
        const r = ev(x.right);
        switch (x.op) {
          case '+':
            return combine(l, r, (a, b) => a + b);
          case '-':
            return combine(l, r, (a, b) => a - b);
          case '*':
            return combine(l, r, (a, b) => a * b);
          case '/':
            return combine(l, r, (a, b) => a / b);
        }
      }
    }
  };
  const result = ev(e);
  if (typeof result === 'number') throw new ExpressionError('the expression uses no attribute: name at least one, e.g. feedback_times - goCue_times', 0);
  return result instanceof Float64Array ? result : Float64Array.from(result);
}

function apply(f: (a: number) => number, v: number | ArrayLike<number>): number | Float64Array {
  if (typeof v === 'number') return f(v);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(v[i] as number);
  return out;
}

function combine(l: number | ArrayLike<number>, r: number | ArrayLike<number>, f: (a: number, b: number) => number): number | Float64Array {
  if (typeof l === 'number' && typeof r === 'number') return f(l, r);
  const n = typeof l === 'number' ? (r as ArrayLike<number>).length : l.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(typeof l === 'number' ? l : (l[i] as number), typeof r === 'number' ? r : (r[i] as number));
  return out;
}
