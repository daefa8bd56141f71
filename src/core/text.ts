/**
 * Text helpers shared by the judges, the metrics and the rewards (FORMATS.md §2–3, §5).
 * One implementation of each: a second answer extractor anywhere else is a bug.
 */

import { CATEGORIES } from './taxonomy';

const THINK_BLOCK = /<\s*think\b[^>]*>[\s\S]*?<\s*\/\s*think\s*>/gi;
const FIRST_ANSWER = /<\s*answer\b[^>]*>([\s\S]*?)<\s*\/\s*answer\s*>/i;
const CORRECTION_BLOCK = /<\s*correction\b[^>]*>[\s\S]*?<\s*\/\s*correction\s*>/gi;
const ANY_TAG = /<\s*\/?[a-zA-Z_][a-zA-Z0-9_]*\b[^>]*>/g;
const THINK_TAG = /<\s*\/?think\b[^>]*>/gi;
const ANSWER_TAG = /<\s*\/?answer\b[^>]*>/gi;
const NIL_LINE = '\nNIL\n';

function removeAll(s: string, needle: string): string {
  return s.includes(needle) ? s.split(needle).join('') : s;
}

/**
 * The answer text the judge's step 1 sees: every think block removed, then the content of
 * the first answer block (newline-NIL-newline removed), or the whole remaining text when
 * there is no answer block; trimmed.
 */
export function answerText(output: string | null | undefined): string {
  if (!output) return '';
  const s = String(output).replace(THINK_BLOCK, '');
  const m = FIRST_ANSWER.exec(s);
  if (m) return removeAll(m[1], NIL_LINE).trim();
  return s.trim();
}

/**
 * The reasoning text steps 2–4 see: the correction block removed, every tag removed but its
 * content kept, newline-NIL-newline removed; trimmed.
 */
export function reasoningText(output: string | null | undefined): string {
  if (!output) return '';
  let s = String(output).replace(CORRECTION_BLOCK, '');
  s = s.replace(ANY_TAG, '');
  return removeAll(s, NIL_LINE).trim();
}

/** The GT text for comparison: only think/answer tags removed (content kept); trimmed. */
export function gtText(answer: string | null | undefined): string {
  if (!answer) return '';
  return String(answer).replace(THINK_TAG, '').replace(ANSWER_TAG, '').trim();
}

const ANSWER_OPEN_SOURCE = String.raw`<\s*answer\b[^>]*>`;
const ANSWER_CLOSE_SOURCE = String.raw`<\s*\/\s*answer\s*>`;
const ANSWER_OPEN = new RegExp(ANSWER_OPEN_SOURCE, 'i');
const ANSWER_CLOSE = new RegExp(ANSWER_CLOSE_SOURCE, 'i');
const ANSWER_OPEN_OR_CLOSE = new RegExp(`${ANSWER_OPEN_SOURCE}|${ANSWER_CLOSE_SOURCE}`, 'gi');

/** Whether a text has an opening and a closing answer tag (any case, spaces allowed). */
export function answerTags(text: string): { open: boolean; close: boolean } {
  return { open: ANSWER_OPEN.test(text), close: ANSWER_CLOSE.test(text) };
}

/** The text with every opening and closing answer tag (any case, spaces allowed) removed. */
export function withoutAnswerTags(text: string): string {
  return text.replace(ANSWER_OPEN_OR_CLOSE, '');
}

/** Content of the first answer block of a text as it is (think blocks not removed); null without one. */
export function firstAnswerBlock(text: string): string | null {
  const m = FIRST_ANSWER.exec(text);
  return m ? m[1] : null;
}

/** A `[start, end]` span in seconds. */
export type Span = [number, number];

/**
 * The `X to Y` timestamp, written once (FORMATS.md §3, §5): digits[.digits], whitespace, `to`,
 * whitespace, digits[.digits]. The evaluator matches `to` case-sensitively, the trainer's
 * refuse-IoU reward case-insensitively; both variants are built from this one source.
 */
const NUMBER = String.raw`\d+\.?\d*`;
const TIMESTAMP_SOURCE = `(${NUMBER})(\\s+to\\s+)(${NUMBER})`;
/** The evaluator's pattern (lower-case `to`). */
const TIMESTAMP = new RegExp(TIMESTAMP_SOURCE);
/** The trainer's pattern (`to`, `To`, `TO`). */
const TIMESTAMP_ANY_CASE = new RegExp(TIMESTAMP_SOURCE, 'i');
/** A text that is nothing but one evaluator timestamp. */
const ONLY_TIMESTAMP = new RegExp(`^${TIMESTAMP_SOURCE}$`);

/** Where the first `X to Y` of a text is written, as the evaluator reads it. */
export interface TimestampMatch {
  span: Span;
  /** Offset of X in the text. */
  index: number;
  /** X, the separator and Y exactly as written. */
  startText: string;
  separator: string;
  endText: string;
}

/** The first `X to Y` (evaluator's pattern) with where and how it is written; null without one. */
export function findTimestamp(text: string | null | undefined): TimestampMatch | null {
  if (!text) return null;
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  return {
    span: [parseFloat(m[1]), parseFloat(m[3])],
    index: m.index,
    startText: m[1],
    separator: m[2],
    endText: m[3],
  };
}

/** The first `X to Y` timestamp in a text (digits[.digits] whitespace `to` whitespace digits). */
export function firstTimestamp(text: string | null | undefined): Span | null {
  return findTimestamp(text)?.span ?? null;
}

/** True when the trimmed text is exactly one `X to Y` timestamp (the canonical answerable output). */
export function isOnlyTimestamp(text: string): boolean {
  return ONLY_TIMESTAMP.test(text.trim());
}

const ANSWER_BLOCKS_STRICT = /<answer>([\s\S]*?)<\/answer>/g;
const CORRECTION_BLOCKS_STRICT = /<correction>([\s\S]*?)<\/correction>/g;

function lastMatch(re: RegExp, s: string): string | null {
  re.lastIndex = 0;
  let last: string | null = null;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) last = m[1];
  return last;
}

/**
 * The trainer's view of a completion (FORMATS.md §5): contents of the LAST literal
 * `<answer>`/`<correction>` block (exact lower-case tags, as the trainer matches them),
 * trimmed; null when there is none.
 */
export function lastAnswer(completion: string | null | undefined): string | null {
  if (!completion) return null;
  const v = lastMatch(ANSWER_BLOCKS_STRICT, completion);
  return v === null ? null : v.trim();
}

/** Contents of the last `<correction>…</correction>` block, trimmed; null when missing. */
export function lastCorrection(completion: string | null | undefined): string | null {
  if (!completion) return null;
  const v = lastMatch(CORRECTION_BLOCKS_STRICT, completion);
  return v === null ? null : v.trim();
}

/** First `X to Y` (case-insensitive `to`) in a text, as the refuse-IoU reward reads it. */
export function rewardTimestamp(text: string | null | undefined): Span | null {
  if (!text) return null;
  const m = TIMESTAMP_ANY_CASE.exec(text);
  return m ? [parseFloat(m[1]), parseFloat(m[3])] : null;
}

const FORMAT_RE = /^<think>[\s\S]*?<\/think>\s*<answer>[\s\S]*?<\/answer>\s*<correction>[\s\S]*?<\/correction>$/;

/** 1 when the trimmed completion is exactly think, answer, correction blocks in order. */
export function isWellFormatted(completion: string | null | undefined): boolean {
  if (!completion) return false;
  return FORMAT_RE.test(completion.trim());
}

/** One `<timestep>a to b</timestep> caption` line of a think block. */
export interface Timestep {
  start: number;
  end: number;
  caption: string;
}

/** A model output split into its parts, for display and bucketing. */
export interface ParsedOutput {
  /** Content of the first think block (tags removed), or null. */
  think: string | null;
  timesteps: Timestep[];
  /** Content of the first answer block, or null when there is none. */
  answer: string | null;
  /** Content of the first correction block, or null. */
  correction: string | null;
  /** Taxonomy categories named by explicit tags such as `<object_objectexistence>`. */
  categoryTags: string[];
  /** Think, answer and correction blocks in order with only whitespace between. */
  wellFormatted: boolean;
  /** An opening tag of think/answer/correction without its closing tag (cut-off output). */
  truncated: boolean;
}

const FIRST_THINK = /<\s*think\b[^>]*>([\s\S]*?)<\s*\/\s*think\s*>/i;
const FIRST_CORRECTION = /<\s*correction\b[^>]*>([\s\S]*?)<\s*\/\s*correction\s*>/i;
const TIMESTEP_LINE = new RegExp(
  String.raw`<\s*timestep\s*>\s*` + TIMESTAMP_SOURCE + String.raw`\s*<\s*\/\s*timestep\s*>([^\n<]*)`,
  'gi',
);
const TAG_NAME = /<\s*\/?\s*([a-zA-Z_][a-zA-Z0-9_/]*)[^>]*>/g;

const CATEGORY_BY_TAG = new Map<string, string>();
for (const c of CATEGORIES) {
  CATEGORY_BY_TAG.set(c.toLowerCase(), c);
  CATEGORY_BY_TAG.set(c.replace('/', '_').toLowerCase(), c);
}

/** Taxonomy categories named by explicit tags such as `<object_objectexistence>`, in order. */
export function categoryTags(output: string | null | undefined): string[] {
  const s = output ? String(output) : '';
  const found: string[] = [];
  TAG_NAME.lastIndex = 0;
  let t: RegExpExecArray | null;
  while ((t = TAG_NAME.exec(s))) {
    const c = CATEGORY_BY_TAG.get(t[1].toLowerCase());
    if (c && !found.includes(c)) found.push(c);
  }
  return found;
}

function countTags(s: string, name: string): [number, number] {
  const open = new RegExp(`<\\s*${name}\\b[^>]*>`, 'gi');
  const close = new RegExp(`<\\s*/\\s*${name}\\s*>`, 'gi');
  return [(s.match(open) ?? []).length, (s.match(close) ?? []).length];
}

/** Parses `<think>…</think> <answer>…</answer> <correction>…</correction>` output. */
export function parseOutput(output: string | null | undefined): ParsedOutput {
  const s = output ? String(output) : '';
  const think = FIRST_THINK.exec(s);
  const answer = FIRST_ANSWER.exec(s.replace(THINK_BLOCK, ''));
  const correction = FIRST_CORRECTION.exec(s);
  const timesteps: Timestep[] = [];
  if (think) {
    TIMESTEP_LINE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TIMESTEP_LINE.exec(think[1]))) {
      timesteps.push({ start: parseFloat(m[1]), end: parseFloat(m[3]), caption: m[4].trim() });
    }
  }
  let truncated = false;
  for (const name of ['think', 'answer', 'correction']) {
    const [o, c] = countTags(s, name);
    if (o > c) truncated = true;
  }
  return {
    think: think ? think[1].trim() : null,
    timesteps,
    answer: answer ? answer[1].trim() : null,
    correction: correction ? correction[1].trim() : null,
    categoryTags: categoryTags(s),
    wellFormatted: isWellFormatted(s),
    truncated,
  };
}
