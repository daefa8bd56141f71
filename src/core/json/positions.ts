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

/**
 * Maps character offsets to 1-based line/column. A leading BOM is not counted in the first
 * line's columns (editors do not show it), though offsets still include it.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  private readonly bom: number;

  constructor(text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
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
    const skip = lo === 0 ? Math.min(this.bom, offset) : 0;
    return { line: lo + 1, column: offset - this.starts[lo] - skip + 1 };
  }

  /** Offset of a 1-based line/column. */
  offset(pos: Position): number {
    const line = Math.min(Math.max(pos.line, 1), this.starts.length);
    return this.starts[line - 1] + (line === 1 ? this.bom : 0) + pos.column - 1;
  }
}

/** Outcome of parsing: the value, or where and why the text is not JSON. */
export type ParseOutcome = { ok: true; value: unknown } | { ok: false; offset: number; message: string };

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
  // UTF-16 read as UTF-8: its BOM becomes two replacement characters, ASCII gets NUL bytes between.
  if (text.startsWith('\ufffd\ufffd') || text.charCodeAt(1) === 0) {
    return { offset: 0, message: "the file is UTF-16 encoded (as PowerShell's > writes it): save it as UTF-8" };
  }
  const errors: { code: ParseErrorCode; offset: number }[] = [];
  try {
    visit(
      text,
      {
        onError(code: ParseErrorCode, offset: number) {
          if (errors.length < 64) errors.push({ code, offset });
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (e) {
    // The visitor recurses: nesting deep enough overflows the stack. Fall back to V8's word.
    if (!(e instanceof RangeError)) throw e;
    errors.length = 0;
  }
  if (errors.length) {
    const end = text.trimEnd().length;
    const lastLine = text.lastIndexOf('\n', end - 1) + 1;
    // A cut-off file: the first error is on the last line and the structure is still open at the end.
    if (errors[0].offset >= lastLine && errors.some((e) => e.offset >= end)) {
      return { offset: end, message: 'unexpected end of file: the JSON is truncated (expected more input)' };
    }
    const nonFinite = nonFiniteToken(text, errors[0].offset);
    if (nonFinite) return { offset: errors[0].offset, message: nonFinite };
    return { offset: errors[0].offset, message: describe(errors[0].code, errors[0].offset >= end) };
  }
  // jsonc-parser accepted what JSON.parse refused (rare: e.g. lone surrogates); use V8's word.
  const msg = nativeError instanceof Error ? nativeError.message : String(nativeError);
  if (/Unexpected end of JSON input/.test(msg))
    return {
      offset: text.trimEnd().length,
      message: 'unexpected end of file: the JSON is truncated (expected more input)',
    };
  const at = /position (\d+)/.exec(msg);
  return { offset: at ? Number(at[1]) : 0, message: msg };
}

const NON_FINITE = /^-?(?:NaN|Infinity)(?![A-Za-z0-9_])/;

/**
 * The words for a bare NaN / Infinity / -Infinity token at `offset` (what Python's json.dump
 * writes for float('nan') and float('inf') by default), or null when there is none.
 */
function nonFiniteToken(text: string, offset: number): string | null {
  const m = NON_FINITE.exec(text.slice(offset, offset + 12));
  if (!m) return null;
  return (
    `${m[0]} is not a JSON number (Python's json.dump writes it by default for a float that is not finite): ` +
    'write null for a missing value, and dump with allow_nan=False to catch the value at its source'
  );
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

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;
const COMMA = 44;

/** Index just past the string that starts at `i` (the opening quote). */
function skipString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let b = q - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Index just past the value that starts at `i` (any JSON value). */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isWs(d)) break;
      j++;
    }
    return j;
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === QUOTE) {
      j = skipString(text, j);
      continue;
    }
    if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
    else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return j;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Finds the text ranges of the given paths in one pass over text that is valid JSON
 * (callers parse first). Subtrees that hold no wanted path are skipped by bracket matching,
 * so a few problems in a large file cost little. Only paths that exist are in the result;
 * the key is the path joined by NUL characters (see `keyOf`).
 */
export function locatePaths(text: string, paths: Iterable<JsonPath>): Map<string, Located> {
  const root: TrieNode = { children: new Map(), wanted: false };
  for (const p of paths) {
    let n = root;
    for (const seg of p) {
      let c = n.children.get(seg);
      if (!c) n.children.set(seg, (c = { children: new Map(), wanted: false }));
      n = c;
    }
    n.wanted = true;
  }
  const out = new Map<string, Located>();
  const start = skipWs(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (start < text.length) visitValue(text, start, root, [], undefined, out);
  return out;
}

/** Visits the value at `i` whose trie node is `node`; returns the index past it. */
function visitValue(
  text: string,
  i: number,
  node: TrieNode,
  path: (string | number)[],
  keyOffset: number | undefined,
  out: Map<string, Located>,
): number {
  const c = text.charCodeAt(i);
  let end: number;
  if (node.children.size === 0 || (c !== OPEN_BRACE && c !== OPEN_BRACKET)) {
    end = skipValue(text, i);
  } else if (c === OPEN_BRACKET) {
    let j = skipWs(text, i + 1);
    let index = 0;
    while (j < text.length && text.charCodeAt(j) !== CLOSE_BRACKET) {
      const child = node.children.get(index);
      j = child ? visitValue(text, j, child, [...path, index], undefined, out) : skipValue(text, j);
      j = skipWs(text, j);
      if (text.charCodeAt(j) === COMMA) j = skipWs(text, j + 1);
      index++;
    }
    end = j + 1;
  } else {
    let j = skipWs(text, i + 1);
    while (j < text.length && text.charCodeAt(j) !== CLOSE_BRACE) {
      const keyStart = j;
      const keyEnd = skipString(text, j);
      const raw = text.slice(keyStart + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(keyStart, keyEnd)) as string) : raw;
      j = skipWs(text, keyEnd);
      if (text.charCodeAt(j) === COLON) j = skipWs(text, j + 1);
      const child = node.children.get(key);
      j = child ? visitValue(text, j, child, [...path, key], keyStart, out) : skipValue(text, j);
      j = skipWs(text, j);
      if (text.charCodeAt(j) === COMMA) j = skipWs(text, j + 1);
    }
    end = j + 1;
  }
  if (node.wanted) {
    const k = pathKey(path);
    if (!out.has(k)) out.set(k, { offset: i, length: end - i, keyOffset });
  }
  return end;
}

/** The key `locatePaths` uses for a path. */
export function keyOf(path: JsonPath): string {
  return pathKey(path);
}
