/**
 * Tolerant reading of judge replies. Servers that honour `response_format` send plain JSON;
 * others wrap it in code fences, add prose, or write a Python dict (single quotes, None,
 * True/False, tuples). Anything that still does not fit the step's shape is malformed.
 */
import type { RelevanceVerdict } from '../eval/judge';
import type { Span } from '../text';
import { CATEGORIES, type Category } from '../taxonomy';
import { LiteralReader } from '../pyLiteral';

/** A reply that could not be read as the step's answer (retried, then an error). */
export class MalformedReplyError extends Error {
  override name = 'MalformedReplyError';
}

/** A parsed step answer plus what had to be corrected in it. */
export interface Parsed<T> {
  value: T;
  /** Labels outside the taxonomy that were dropped (step 2). */
  dropped?: string[];
  /** The score as sent, when it was outside 0–5 and was clipped (step 3). */
  clippedFrom?: number;
}

/**
 * The first object in a reply: the whole reply as JSON, else each `{` in turn read as a
 * JSON or Python literal (code fences and prose around it are skipped). Null when none.
 */
export function extractObject(content: string): Record<string, unknown> | null {
  const text = content.trim();
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // not plain JSON; look inside
  }
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    const r = new LiteralReader(text, start);
    try {
      const v = r.value();
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // try the next brace
    }
  }
  return null;
}

function objectOrThrow(content: string): Record<string, unknown> {
  const o = extractObject(content);
  if (!o) throw new MalformedReplyError(`no JSON object in the reply: ${preview(content)}`);
  return o;
}

/** A short, single-line preview of a reply for error messages. */
export function preview(content: string, n = 80): string {
  const s = content.replace(/\s+/g, ' ').trim();
  return JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s);
}

const toNumber = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** Step 1 reply → classification and span. */
export function parseRelevance(content: string): Parsed<RelevanceVerdict> {
  const o = objectOrThrow(content);
  const c = typeof o.classification === 'string' ? o.classification.trim().toLowerCase() : '';
  if (c !== 'relevant' && c !== 'irrelevant')
    throw new MalformedReplyError(`classification must be "relevant" or "irrelevant": ${preview(content)}`);
  if (c === 'irrelevant') return { value: { classification: 'irrelevant', span: null } };
  let span: Span | null = null;
  if (typeof o.span === 'string' && o.span.trim()) {
    // "3.5 to 9" or "[3.5, 9]" written as a string
    const nums = o.span.match(/-?\d+(?:\.\d+)?/g);
    if (nums?.length !== 2) throw new MalformedReplyError(`span must be [start, end] or null: ${preview(content)}`);
    span = [Number(nums[0]), Number(nums[1])];
  } else if (Array.isArray(o.span) && o.span.length === 2) {
    const a = toNumber(o.span[0]);
    const b = toNumber(o.span[1]);
    if (a === null || b === null) throw new MalformedReplyError(`span must hold two numbers: ${preview(content)}`);
    span = [a, b];
  } else if (o.span !== null && o.span !== undefined)
    throw new MalformedReplyError(`span must be [start, end] or null: ${preview(content)}`);
  return { value: { classification: 'relevant', span } };
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
const CATEGORY_BY_KEY = new Map<string, Category>();
for (const c of CATEGORIES) {
  CATEGORY_BY_KEY.set(squash(c), c);
  CATEGORY_BY_KEY.set(squash(c.split('/')[1]), c);
}

/** Step 2 reply → taxonomy labels (case and separators forgiven); others dropped and returned. */
export function parseCategories(content: string): Parsed<string[]> {
  const o = objectOrThrow(content);
  if (!Array.isArray(o.categories)) throw new MalformedReplyError(`categories must be a list: ${preview(content)}`);
  const value: string[] = [];
  const dropped: string[] = [];
  for (const l of o.categories) {
    const c = typeof l === 'string' ? CATEGORY_BY_KEY.get(squash(l)) : undefined;
    if (!c) dropped.push(typeof l === 'string' ? l : JSON.stringify(l));
    else if (!value.includes(c)) value.push(c);
  }
  return dropped.length ? { value, dropped } : { value };
}

/** Step 3 reply → score clipped to 0–5 (the original kept in `clippedFrom`). */
export function parseScore(content: string): Parsed<number> {
  const o = objectOrThrow(content);
  const n = toNumber(o.score);
  if (n === null) throw new MalformedReplyError(`score must be a number: ${preview(content)}`);
  const value = Math.min(5, Math.max(0, n));
  return value === n ? { value } : { value, clippedFrom: n };
}
