/**
 * JSON with positions: a fast native parse for values, and one streaming pass with
 * jsonc-parser's visitor to find where the values that have problems sit in the text.
 */
import { visit, printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** 1-based line and column (UTF-16 code units, as editors count them). */
export interface Position {
  line: number;
  column: number;
}

/** Where a JSON value (or, for `keyOffset`, its property name) sits in the text. */
export interface Located {
  offset: number;
  length: number;
  /** Offset of the property name when the value is an object member. */
  keyOffset?: number;
}

/** Maps character offsets to 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i !== -1) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }

  /** Line and column of a character offset. */
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line/column. */
  offset(pos: Position): number {
    const start = this.starts[Math.min(Math.max(pos.line, 1), this.starts.length) - 1];
    return start + pos.column - 1;
  }
}

/** Outcome of parsing: the value, or where and why the text is not JSON. */
export type ParseOutcome =
  | { ok: true; value: unknown }
  | { ok: false; offset: number; message: string };

/**
 * Parses strict JSON (RFC 8259; a leading BOM tolerated). On failure, reports the offset
 * of the first error and a plain message, as jsonc-parser's scanner finds it.
 */
export function parseJson(text: string): ParseOutcome {
  const src = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(src) };
  } catch (e) {
    return { ok: false, ...firstSyntaxError(src, e) };
  }
}

function firstSyntaxError(text: string, nativeError: unknown): { offset: number; message: string } {
  if (text.trim() === '') return { offset: 0, message: 'the file is empty: expected a JSON value' };
  const errors: { code: ParseErrorCode; offset: number }[] = [];
  visit(
    text,
    {
      onError(code: ParseErrorCode, offset: number) {
        if (errors.length < 64) errors.push({ code, offset });
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (errors.length) {
    const end = text.trimEnd().length;
    const lastLine = text.lastIndexOf('\n', end - 1) + 1;
    // A cut-off file: the first error is on the last line and the structure is still open at the end.
    if (errors[0].offset >= lastLine && errors.some((e) => e.offset >= end)) {
      return { offset: end, message: 'unexpected end of file: the JSON is truncated (expected more input)' };
    }
    return { offset: errors[0].offset, message: describe(errors[0].code, errors[0].offset >= end) };
  }
  // jsonc-parser accepted what JSON.parse refused (rare: e.g. lone surrogates); use V8's word.
  const msg = nativeError instanceof Error ? nativeError.message : String(nativeError);
  const at = /position (\d+)/.exec(msg);
  return { offset: at ? Number(at[1]) : 0, message: msg };
}

function describe(code: ParseErrorCode, atEnd: boolean): string {
  if (atEnd) return 'unexpected end of file: the JSON is truncated (expected more input)';
  const name = printParseErrorCode(code);
  const plain: Record<string, string> = {
    InvalidSymbol: 'invalid symbol',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':'",
    CommaExpected: "expected ',' or a closing bracket",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'expected end of file after the JSON value',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character (control characters must be escaped in strings)',
  };
  return plain[name] ?? name;
}

interface TrieNode {
  children: Map<string | number, TrieNode>;
  wanted: boolean;
}

function pathKey(path: JsonPath): string {
  return path.join('\u0000');
}

/**
 * Finds the text ranges of the given paths in one pass over the text. Only paths that exist
 * are in the result; the key is the path joined by NUL characters (see `keyOf`).
 */
export function locatePaths(text: string, paths: Iterable<JsonPath>): Map<string, Located> {
  const root: TrieNode = { children: new Map(), wanted: false };
  let any = false;
  for (const p of paths) {
    let n = root;
    for (const seg of p) {
      let c = n.children.get(seg);
      if (!c) n.children.set(seg, (c = { children: new Map(), wanted: false }));
      n = c;
    }
    n.wanted = true;
    any = true;
  }
  const out = new Map<string, Located>();
  if (!any) return out;

  interface Frame {
    node: TrieNode | null;
    path: (string | number)[];
    isArray: boolean;
    index: number;
    key: string | undefined;
    keyOffset: number;
  }
  const stack: Frame[] = [];

  const valueStart = (offset: number): { node: TrieNode | null; path: (string | number)[]; keyOffset?: number } => {
    const top = stack.length ? stack[stack.length - 1] : undefined;
    if (!top) {
      if (root.wanted) out.set(pathKey([]), { offset, length: 0 });
      return { node: root, path: [] };
    }
    let seg: string | number;
    let keyOffset: number | undefined;
    if (top.isArray) seg = ++top.index;
    else {
      seg = top.key as string;
      keyOffset = top.keyOffset;
    }
    const node = top.node ? top.node.children.get(seg) ?? null : null;
    if (!node) return { node: null, path: [] };
    const path = [...top.path, seg];
    if (node.wanted && !out.has(pathKey(path))) {
      out.set(pathKey(path), { offset, length: 0, keyOffset });
    }
    return { node, path };
  };
  const closeValue = (path: (string | number)[], endOffset: number) => {
    const loc = out.get(pathKey(path));
    if (loc && loc.length === 0) loc.length = endOffset - loc.offset;
  };

  visit(
    text,
    {
      onObjectBegin(offset) {
        const v = valueStart(offset);
        stack.push({ node: v.node, path: v.path, isArray: false, index: -1, key: undefined, keyOffset: -1 });
      },
      onObjectProperty(property, offset) {
        const top = stack[stack.length - 1];
        top.key = property;
        top.keyOffset = offset;
      },
      onObjectEnd(offset, length) {
        const f = stack.pop();
        if (f && f.node) closeValue(f.path, offset + length);
      },
      onArrayBegin(offset) {
        const v = valueStart(offset);
        stack.push({ node: v.node, path: v.path, isArray: true, index: -1, key: undefined, keyOffset: -1 });
      },
      onArrayEnd(offset, length) {
        const f = stack.pop();
        if (f && f.node) closeValue(f.path, offset + length);
      },
      onLiteralValue(_value, offset, length) {
        const v = valueStart(offset);
        if (v.node) closeValue(v.path, offset + length);
      },
    },
    { disallowComments: false, allowTrailingComma: true },
  );
  return out;
}

/** The key `locatePaths` uses for a path. */
export function keyOf(path: JsonPath): string {
  return pathKey(path);
}
