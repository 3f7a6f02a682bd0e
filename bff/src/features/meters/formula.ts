/**
 * Virtual-meter formulas (002 `Meter_Formula`), e.g. `[12]+[13]-[14]` or `([3]+[4])*0.5`.
 * A small recursive-descent parser: meter ids in brackets, numbers, + − × ÷ (also * /), unary minus
 * and parentheses. User text is parsed into a tree and evaluated by walking it; it never reaches eval.
 */
export type Formula =
  | { k: 'num'; v: number }
  | { k: 'ref'; id: number }
  | { k: 'neg'; e: Formula }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; l: Formula; r: Formula };

/** A formula that does not parse; `message` says what and where (1-based character position). */
export class FormulaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormulaError';
  }
}

const OPS: Record<string, '+' | '-' | '*' | '/'> = {
  '+': '+',
  '-': '-',
  '−': '-',
  '*': '*',
  '×': '*',
  '/': '/',
  '÷': '/',
};
const MAX_DEPTH = 50;

/** Parses a formula; throws FormulaError naming the position of the first problem. */
export function parseFormula(text: string): Formula {
  let i = 0;
  let depth = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new FormulaError(`第 ${i + 1} 个字符处${what}`);
  };
  const expr = (): Formula => {
    let l = term();
    for (skip(); OPS[text[i]!] === '+' || OPS[text[i]!] === '-'; skip()) {
      const op = OPS[text[i++]!]!;
      l = { k: 'bin', op, l, r: term() };
    }
    return l;
  };
  const term = (): Formula => {
    let l = factor();
    for (skip(); OPS[text[i]!] === '*' || OPS[text[i]!] === '/'; skip()) {
      const op = OPS[text[i++]!]!;
      l = { k: 'bin', op, l, r: factor() };
    }
    return l;
  };
  const factor = (): Formula => {
    skip();
    if (++depth > MAX_DEPTH) fail('嵌套过深');
    try {
      const c = text[i];
      if (c === undefined) return fail('缺少数值、仪表或括号（公式不完整）');
      if (OPS[c] === '-' || OPS[c] === '+') {
        i++;
        const e = factor();
        return OPS[c] === '-' ? { k: 'neg', e } : e;
      }
      if (c === '(' || c === '（') {
        i++;
        const e = expr();
        skip();
        if (text[i] !== ')' && text[i] !== '）') fail('缺少右括号 ")"');
        i++;
        return e;
      }
      if (c === '[') {
        const m = /^\[\s*(\d{1,9})\s*\]/.exec(text.slice(i));
        if (!m) return fail('仪表引用必须写成 [仪表id]，如 [12]');
        i += m[0].length;
        return { k: 'ref', id: Number(m[1]) };
      }
      const m = /^\d+(\.\d+)?/.exec(text.slice(i));
      if (!m) return fail(`不能识别 "${c}"`);
      i += m[0].length;
      return { k: 'num', v: Number(m[0]) };
    } finally {
      depth--;
    }
  };
  skip();
  if (i >= text.length) throw new FormulaError('公式为空');
  const tree = expr();
  skip();
  if (i < text.length) fail(`多余的 "${text[i]}"`);
  return tree;
}

/** Meter ids a formula refers to, without duplicates, in order of appearance. */
export function formulaRefs(f: Formula): number[] {
  const out: number[] = [];
  const walk = (n: Formula): void => {
    if (n.k === 'ref') {
      if (!out.includes(n.id)) out.push(n.id);
    } else if (n.k === 'neg') walk(n.e);
    else if (n.k === 'bin') {
      walk(n.l);
      walk(n.r);
    }
  };
  walk(f);
  return out;
}

/** Evaluates a formula with each meter's value; division by zero gives 0 (a bucket with no data). */
export function evaluateFormula(f: Formula, value: (id: number) => number): number {
  switch (f.k) {
    case 'num':
      return f.v;
    case 'ref':
      return value(f.id);
    case 'neg':
      return -evaluateFormula(f.e, value);
    case 'bin': {
      const l = evaluateFormula(f.l, value);
      const r = evaluateFormula(f.r, value);
      if (f.op === '+') return l + r;
      if (f.op === '-') return l - r;
      if (f.op === '*') return l * r;
      return r === 0 ? 0 : l / r;
    }
  }
}

/**
 * Finds a cycle if meter `self` used `refs`, given the refs of every other virtual meter.
 * Returns the cycle as a list of ids (`[self, …, self]`), or null.
 */
export function findCycle(self: number, refs: number[], refsOf: (id: number) => number[]): number[] | null {
  const seen = new Set<number>();
  const visit = (id: number, path: number[]): number[] | null => {
    if (id === self) return [...path, id];
    if (seen.has(id)) return null;
    seen.add(id);
    for (const next of refsOf(id)) {
      const found = visit(next, [...path, id]);
      if (found) return found;
    }
    return null;
  };
  for (const r of refs) {
    const found = visit(r, [self]);
    if (found) return found;
  }
  return null;
}
