/**
 * Reads Python literals as `repr()` prints them (and JSON, a near subset): dicts, lists,
 * tuples, strings in either quote, `None`, `True`/`False`, numbers including `nan`, `inf`
 * and `-inf`. Never evaluates code. Used for trainer log lines and for judge replies.
 */

/** A literal that could not be read; `offset` is where reading stopped (0-based, in the text given). */
export class LiteralSyntaxError extends SyntaxError {
  override name = 'LiteralSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?)\b/iy;
const WORD = /None|null|True|true|False|false|NaN|-?Infinity/y;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '0': '\0' };

/** A cursor over `text` reading one literal at a time. */
export class LiteralReader {
  /** Current offset in the text. */
  i: number;

  constructor(
    readonly s: string,
    start = 0,
  ) {
    this.i = start;
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
    this.i = i;
  }

  private fail(expected: string): never {
    const got = this.i < this.s.length ? `'${this.s[this.i]}'` : 'the end of the text';
    throw new LiteralSyntaxError(`expected ${expected}, found ${got}`, this.i);
  }

  /** Reads one value at the cursor and moves past it. */
  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.dict();
    if (c === '[' || c === '(') return this.list(c === '[' ? ']' : ')');
    if (c === '"' || c === "'") return this.str(c);
    NUMBER.lastIndex = this.i;
    const num = NUMBER.exec(this.s);
    if (num) {
      this.i = NUMBER.lastIndex;
      const t = num[0];
      const last = t.charCodeAt(t.length - 1);
      if ((last >= 48 && last <= 57) || last === 46) return Number(t);
      if (/n$/i.test(t)) return NaN;
      return t[0] === '-' ? -Infinity : Infinity;
    }
    WORD.lastIndex = this.i;
    const word = WORD.exec(this.s);
    if (word) {
      this.i = WORD.lastIndex;
      const w = word[0];
      if (w === 'None' || w === 'null') return null;
      if (w === 'NaN') return NaN;
      if (w.endsWith('Infinity')) return w[0] === '-' ? -Infinity : Infinity;
      return w === 'True' || w === 'true';
    }
    return this.fail('a value (dict, list, string, number, None, True or False)');
  }

  private dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') return (this.i++, out);
      const k = this.value();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("':'");
      this.i++;
      out[String(k)] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail("',' or '}'");
    }
  }

  private list(close: string): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) return (this.i++, out);
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.fail(`',' or '${close}'`);
    }
  }

  private str(q: string): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let from = i;
    while (i < s.length) {
      const c = s[i];
      if (c === q) {
        this.i = i + 1;
        return out + s.slice(from, i);
      }
      if (c !== '\\') {
        i++;
        continue;
      }
      out += s.slice(from, i);
      const e = s[i + 1];
      if (e === 'u' || e === 'x') {
        const n = e === 'u' ? 4 : 2;
        out += String.fromCharCode(parseInt(s.slice(i + 2, i + 2 + n), 16));
        i += 2 + n;
      } else {
        out += ESCAPES[e] ?? e;
        i += 2;
      }
      from = i;
    }
    this.i = i;
    return this.fail(`the closing ${q}`);
  }
}

/** Reads a whole text as one literal (trailing whitespace allowed); throws LiteralSyntaxError. */
export function parseLiteral(text: string): unknown {
  const r = new LiteralReader(text);
  const v = r.value();
  const end = /\s*/y;
  end.lastIndex = r.i;
  end.exec(text);
  if (end.lastIndex !== text.length)
    throw new LiteralSyntaxError(`expected the end of the literal, found '${text[end.lastIndex]}'`, end.lastIndex);
  return v;
}
