/**
 * Minimal text edits to one sample of an annotation file: only the value that changes is
 * replaced (a number of a span, a string, a boolean), or one property is inserted in the
 * style of its neighbours, so formatting, key order and unknown keys stay as they are.
 * jsonc-parser reads the one entry's text (not the whole file), so an edit on a large file
 * costs one skip-scan to find the entry plus a parse of that entry.
 */
import { createScanner, findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { TextEdit } from '../fixes';
import { keyOf, locatePaths, type Located } from '../json/positions';
import { findTimestamp, type Span } from '../text';
import { CurationError } from './annoDoc';
import type { SampleChange } from './sampleChange';

export type { SampleChange };

/** Which entry (and query of its GRPO list) an edit is about. */
export interface SamplePlace {
  entry: number;
  query?: number;
}

/** A number as data files write seconds: at most three decimals, no float noise. */
export function secondsText(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

function replace(base: number, node: Node, newText: string): TextEdit {
  return { offset: base + node.offset, length: node.length, newText };
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** A JSON value written like the value it replaces: a list over several lines stays so. */
function valueText(value: unknown, like: Node | undefined, text: string, base: number): string {
  if (!Array.isArray(value) || !like || like.type !== 'array') return JSON.stringify(value);
  const old = text.slice(base + like.offset, base + like.offset + like.length);
  if (!old.includes('\n') || !value.length) return JSON.stringify(value);
  const first = like.children?.[0];
  const closeIndent = lineIndent(text, base + like.offset + like.length - 1);
  const itemIndent = first ? lineIndent(text, base + first.offset) : `${closeIndent}  `;
  const eol = old.includes('\r\n') ? '\r\n' : '\n';
  return `[${eol}${value.map((v) => itemIndent + JSON.stringify(v)).join(`,${eol}`)}${eol}${closeIndent}]`;
}

/** Sets `key` of the object node: replaces its value, or inserts it after the last property. */
function setProperty(text: string, base: number, obj: Node, key: string, value: unknown): TextEdit[] {
  const existing = findNodeAtLocation(obj, [key]);
  if (existing) return [replace(base, existing, valueText(value, existing, text, base))];
  const props = obj.children ?? [];
  const json = JSON.stringify(value);
  if (!props.length) return [{ offset: base + obj.offset + 1, length: 0, newText: `${JSON.stringify(key)}: ${json}` }];
  const last = props[props.length - 1];
  const sameLine = !text.slice(base + props[0].offset - 1, base + last.offset).includes('\n');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = sameLine ? ' ' : eol + lineIndent(text, base + last.offset);
  const colon = text.slice(base + last.offset, base + last.offset + last.length).match(/^"(?:[^"\\]|\\.)*"(\s*:\s*)/);
  return [
    {
      offset: base + last.offset + last.length,
      length: 0,
      newText: `,${lead}${JSON.stringify(key)}${colon?.[1] ?? ': '}${json}`,
    },
  ];
}

/** jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot import). */
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** The object that starts at `offset` (jsonc-parser's scanner, over that object only); null when none does. */
function objectAt(text: string, offset: number): Located | null {
  if (text.charCodeAt(offset) !== 123) return null;
  const scanner = createScanner(text, true);
  scanner.setPosition(offset);
  let depth = 0;
  for (let k = scanner.scan(); k !== EOF; k = scanner.scan()) {
    if (k === OPEN_BRACE || k === OPEN_BRACKET) depth++;
    else if (k === CLOSE_BRACE || k === CLOSE_BRACKET) {
      if (--depth === 0) return { offset, length: scanner.getTokenOffset() + 1 - offset };
    }
  }
  return null;
}

/**
 * Where entry `entry` starts. `hint` (where it started before, e.g. before the previous edit)
 * is tried first: an edit inside an entry leaves its start where it was, so repeated edits of
 * one sample skip the scan of the file. The caller's identity check decides whether it is right.
 */
function entryTree(text: string, entry: number, hint?: number): { base: number; tree: Node; hinted: boolean } {
  if (hint !== undefined) {
    const loc = objectAt(text, hint);
    const tree = loc && parseTree(text.slice(loc.offset, loc.offset + loc.length));
    if (loc && tree?.type === 'object') return { base: loc.offset, tree, hinted: true };
  }
  const loc = locatePaths(text, [[entry]]).get(keyOf([entry]));
  if (!loc) throw new CurationError(`entry ${entry} is not in the file any more`);
  const tree = parseTree(text.slice(loc.offset, loc.offset + loc.length));
  if (tree?.type !== 'object') throw new CurationError(`entry ${entry} is not an object`);
  return { base: loc.offset, tree, hinted: false };
}

/** Answerable GT answers of the entry that spell the old span, rewritten to the new one. */
function followingAnswers(base: number, tree: Node, old: Span, next: Span): TextEdit[] {
  const out: TextEdit[] = [];
  const grpo = findNodeAtLocation(tree, ['GRPO']);
  for (const q of grpo?.type === 'array' ? (grpo.children ?? []) : []) {
    const r = findNodeAtLocation(q, ['r']);
    const a = findNodeAtLocation(q, ['a']);
    if (r?.value !== true || a?.type !== 'string') continue;
    const s = a.value as string;
    const m = findTimestamp(s);
    if (!m || m.span[0] !== old[0] || m.span[1] !== old[1]) continue;
    const spelled = `${secondsText(next[0])}${m.separator}${secondsText(next[1])}`;
    const len = m.startText.length + m.separator.length + m.endText.length;
    out.push(replace(base, a, JSON.stringify(s.slice(0, m.index) + spelled + s.slice(m.index + len))));
  }
  return out;
}

function spanEdits(text: string, base: number, tree: Node, span: Span): TextEdit[] {
  if (!(span[0] >= 0 && span[1] > span[0])) throw new CurationError(`a span needs 0 ≤ start < end, got [${span}]`);
  const ts = findNodeAtLocation(tree, ['timestamp']);
  const kids = ts?.type === 'array' ? (ts.children ?? []) : [];
  if (!ts || kids.length !== 2 || kids.some((k) => k.type !== 'number'))
    return setProperty(text, base, tree, 'timestamp', span);
  const old: Span = [kids[0].value as number, kids[1].value as number];
  const edits: TextEdit[] = [];
  if (old[0] !== span[0]) edits.push(replace(base, kids[0], secondsText(span[0])));
  if (old[1] !== span[1]) edits.push(replace(base, kids[1], secondsText(span[1])));
  return edits.length ? [...edits, ...followingAnswers(base, tree, old, span)] : [];
}

/** Whether an entry (and query) is the expected sample. */
function isExpected(tree: Node, place: SamplePlace, expect: { video: string; query?: string }): boolean {
  if (findNodeAtLocation(tree, ['video'])?.value !== expect.video) return false;
  if (expect.query === undefined || place.query === undefined) return true;
  return findNodeAtLocation(tree, ['GRPO', place.query, 'q'])?.value === expect.query;
}

/**
 * The edits that make one change to a sample, against the file's current text. `expect`
 * (the sample's video and query) is checked first, so an edit never lands on another sample
 * after the file changed underneath. `hint` is where the entry started at the last edit.
 */
export function sampleEdits(
  text: string,
  place: SamplePlace,
  change: SampleChange,
  expect?: { video: string; query?: string },
  hint?: number,
): TextEdit[] {
  let found = entryTree(text, place.entry, expect ? hint : undefined);
  if (found.hinted && expect && !isExpected(found.tree, place, expect)) found = entryTree(text, place.entry);
  const { base, tree } = found;
  if (expect && findNodeAtLocation(tree, ['video'])?.value !== expect.video)
    throw new CurationError(`entry ${place.entry} is no longer ${expect.video}: the file changed; reindex and retry`);
  if (change.field === 'span') return spanEdits(text, base, tree, change.value);
  if (change.field === 'duration') return setProperty(text, base, tree, 'duration', change.value);
  if (place.query === undefined) throw new CurationError(`${change.field} is a query's field: say which query`);
  const q = findNodeAtLocation(tree, ['GRPO', place.query]);
  if (q?.type !== 'object') throw new CurationError(`entry ${place.entry} has no query ${place.query}`);
  if (expect?.query !== undefined && findNodeAtLocation(q, ['q'])?.value !== expect.query)
    throw new CurationError(`query ${place.query} of entry ${place.entry} changed: reindex and retry`);
  const now = findNodeAtLocation(q, [change.field]);
  if (now && JSON.stringify(now.value ?? null) === JSON.stringify(change.value) && change.field !== 'c') return [];
  return setProperty(text, base, q, change.field, change.value);
}

/** Where entry `entry` starts in the text (for the next edit's hint). */
export function entryOffset(text: string, entry: number): number | undefined {
  return locatePaths(text, [[entry]]).get(keyOf([entry]))?.offset;
}
