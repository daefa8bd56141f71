/**
 * An items file cut in two at an item boundary, so that two threads can each read, parse, check
 * and judge one part (run.ts; the worker's part in src/cli/worker.ts).
 *
 * The cut is a comma followed by a line break and an object's `{`: a raw line break cannot be
 * inside a JSON string, so the comma is between two values. Whether it is between two items of
 * the top-level array is not guessed from the indentation: the first part closed with `]` and the
 * second opened with `[` both parse only when it is (any deeper comma leaves a bracket open in the
 * first part), and then the two lists are the file's list, cut there. When either part does not
 * parse, the caller reads the whole file as one, and its messages are the one-thread messages.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Below this size a second thread costs more than it saves. */
const SMALLEST = 4 << 20;
/** How far past the target offset a cut is looked for (a pretty-printed item is a few kB). */
const WINDOW = 1 << 20;

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const isBlank = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d;

/** Where a file is cut: the comma's byte offset, and the file's size and time when measured. */
export interface Cut {
  at: number;
  size: number;
  mtimeMs: number;
}

/**
 * The first cut at or after `fraction` of the file (the bytes before the comma go to the first
 * part); undefined for a small file or one with no line break between items (minified JSON).
 */
export function findCut(path: string, fraction: number): Cut | undefined {
  const fd = openSync(path, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    if (size < SMALLEST) return undefined;
    const indent = itemIndent(fd);
    if (indent === undefined) return undefined;
    const from = Math.floor(size * fraction);
    const buf = Buffer.allocUnsafe(Math.min(WINDOW, size - from));
    const n = readSync(fd, buf, 0, buf.length, from);
    for (let k = buf.indexOf(NEWLINE, 0); k !== -1 && k < n; k = buf.indexOf(NEWLINE, k + 1)) {
      let after = k + 1;
      while (after < n && isBlank(buf[after])) after++;
      // An item's `{` is indented as the first item's (a deeper object's is not).
      if (after >= n || buf[after] !== OPEN_BRACE || after - k - 1 !== indent) continue;
      let before = k - 1;
      while (before >= 0 && isBlank(buf[before])) before--;
      if (before >= 0 && buf[before] === COMMA) return { at: from + before, size, mtimeMs };
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * How far the first item's `{` is indented on its line: `[` then blanks, a line break and
 * blanks. Undefined when the first item is on the `[`'s line (no line break between items).
 */
function itemIndent(fd: number): number | undefined {
  const head = Buffer.allocUnsafe(4096);
  const n = readSync(fd, head, 0, head.length, 0);
  let k = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0; // a UTF-8 BOM
  while (k < n && (isBlank(head[k]) || head[k] === NEWLINE)) k++;
  if (head[k] !== OPEN) return undefined;
  let line = -1;
  for (k++; k < n && (isBlank(head[k]) || head[k] === NEWLINE); k++) if (head[k] === NEWLINE) line = k;
  return k < n && head[k] === OPEN_BRACE && line >= 0 ? k - line - 1 : undefined;
}

/**
 * The text of one part as a JSON array: bytes [0, cut.at) closed with `]`, or bytes after the
 * comma opened with `[`. Undefined when the file is no longer the one measured (size or time).
 */
export function readPart(path: string, cut: Cut, part: 'first' | 'second'): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    if (size !== cut.size || mtimeMs !== cut.mtimeMs) return undefined;
    const start = part === 'first' ? 0 : cut.at + 1;
    const length = part === 'first' ? cut.at : size - start;
    const buf = Buffer.allocUnsafe(length + 1);
    const into = part === 'first' ? 0 : 1;
    let got = 0;
    while (got < length) {
      const r = readSync(fd, buf, into + got, length - got, start + got);
      if (r === 0) return undefined; // shorter than it was: changed while read
      got += r;
    }
    buf[part === 'first' ? length : 0] = part === 'first' ? CLOSE : OPEN;
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
