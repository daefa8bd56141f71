/** Reads and validates the queries of an annotation entry (its `GRPO` list) and their GT answers. */
import { isObject, typeName } from '../json/values';
import type { PendingProblem } from '../problems';
import { DIFFICULTIES, isCategory, toHardnessLevel, type Difficulty } from '../taxonomy';
import { answerTags, findTimestamp, firstAnswerBlock, firstTimestamp } from '../text';
import type { QueryRecord, VideoEntry } from './model';

const DIFFICULTY_SET: ReadonlySet<string> = new Set(DIFFICULTIES);

/** A text cut to `n` characters for a message. */
export function clip(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Validates one query of entry `i` (its `j`-th in `GRPO`); null when it is not an object. */
export function readQuery(
  g: unknown,
  i: number,
  j: number,
  entry: VideoEntry,
  problems: PendingProblem[],
): QueryRecord | null {
  const where = `entry ${i}, query ${j}`;
  const path = [i, 'GRPO', j];
  if (!isObject(g)) {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path,
      message: `${where}: expected an object with "q", "a" and "r", found ${typeName(g)}`,
    });
    return null;
  }
  const q = readString(g, 'q', where, path, problems, 'the query text');
  const a = readString(g, 'a', where, path, problems, 'the GT answer');
  const r = readRelevance(g, where, path, problems);
  const difficulty = readDifficulty(g, r, where, path, problems);
  const categories = readCategories(g, where, path, problems);

  if (a !== null) checkAnswer(a, r, where, [...path, 'a'], problems);
  const qOrigin = typeof g.q_origin === 'string' ? g.q_origin : undefined;
  return {
    entry: entry.index,
    index: j,
    q: q ?? '',
    a: a ?? '',
    r,
    qOrigin,
    difficulty,
    level: toHardnessLevel(difficulty ?? (r === true ? 'original' : undefined)),
    categories,
  };
}

/** The "r" field (true answerable, false refusable) of a query; null when missing or not a boolean. */
function readRelevance(
  g: Record<string, unknown>,
  where: string,
  path: (string | number)[],
  problems: PendingProblem[],
): boolean | null {
  if (!('r' in g))
    problems.push({
      severity: 'error',
      code: 'missing-field',
      path,
      message: `${where}: missing "r" (true answerable, false refusable)`,
    });
  else if (typeof g.r !== 'boolean')
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [...path, 'r'],
      message: `${where}: "r" should be true or false, found ${typeName(g.r)}`,
    });
  else return g.r;
  return null;
}

/** The "difficulty" field of a query, checked against its "r". */
function readDifficulty(
  g: Record<string, unknown>,
  r: boolean | null,
  where: string,
  path: (string | number)[],
  problems: PendingProblem[],
): Difficulty | undefined {
  let difficulty: Difficulty | undefined;
  if ('difficulty' in g && g.difficulty !== null) {
    if (typeof g.difficulty === 'string' && DIFFICULTY_SET.has(g.difficulty)) difficulty = g.difficulty as Difficulty;
    else
      problems.push({
        severity: 'warning',
        code: 'unknown-difficulty',
        path: [...path, 'difficulty'],
        message: `${where}: difficulty ${JSON.stringify(g.difficulty)} is not one of original, easy, medium, hard`,
      });
  }
  if (difficulty && r !== null && (difficulty === 'original') !== r) {
    problems.push({
      severity: 'warning',
      code: 'difficulty-mismatch',
      path: [...path, 'difficulty'],
      message: r
        ? `${where}: an answerable query should have difficulty "original", found "${difficulty}"`
        : `${where}: a refusable query should be easy, medium or hard, found "original"`,
    });
  }
  return difficulty;
}

/** The "c" category paths of a query (the strings among them), each checked against the taxonomy. */
function readCategories(
  g: Record<string, unknown>,
  where: string,
  path: (string | number)[],
  problems: PendingProblem[],
): string[] {
  const categories: string[] = [];
  if ('c' in g && g.c !== null) {
    if (!Array.isArray(g.c))
      problems.push({
        severity: 'error',
        code: 'wrong-type',
        path: [...path, 'c'],
        message: `${where}: "c" should be an array of category paths, found ${typeName(g.c)}`,
      });
    else
      g.c.forEach((c, k) => {
        if (typeof c !== 'string') {
          problems.push({
            severity: 'error',
            code: 'wrong-type',
            path: [...path, 'c', k],
            message: `${where}: category ${k} should be a string, found ${typeName(c)}`,
          });
          return;
        }
        categories.push(c);
        if (!isCategory(c)) {
          problems.push({
            severity: 'warning',
            code: 'unknown-category',
            path: [...path, 'c', k],
            message: `${where}: "${clip(c)}" is not in the 11-label taxonomy`,
            data: { label: c },
          });
        }
      });
  }
  return categories;
}

function readString(
  g: Record<string, unknown>,
  key: string,
  where: string,
  path: (string | number)[],
  problems: PendingProblem[],
  what: string,
): string | null {
  if (!(key in g)) {
    problems.push({ severity: 'error', code: 'missing-field', path, message: `${where}: missing "${key}", ${what}` });
    return null;
  }
  const v = g[key];
  if (typeof v !== 'string') {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [...path, key],
      message: `${where}: "${key}" should be a string, found ${typeName(v)}`,
    });
    return null;
  }
  return v;
}

function checkAnswer(
  a: string,
  r: boolean | null,
  where: string,
  path: (string | number)[],
  problems: PendingProblem[],
): void {
  if (a.trim() === '') {
    problems.push({ severity: 'error', code: 'empty-answer', path, message: `${where}: the GT answer is empty` });
    return;
  }
  const { open, close } = answerTags(a);
  if (!open || !close) {
    problems.push({
      severity: 'warning',
      code: 'answer-missing-tags',
      path,
      message:
        !open && !close
          ? `${where}: the GT answer has no <answer>…</answer> tags`
          : !open
            ? `${where}: the GT answer has </answer> without <answer>`
            : `${where}: the GT answer's <answer> tag is never closed`,
      data: { fix: 'wrap-answer', open, close },
    });
    return;
  }
  const content = firstAnswerBlock(a) ?? '';
  if (content.trim() === '')
    problems.push({
      severity: 'error',
      code: 'empty-answer',
      path,
      message: `${where}: the GT answer's <answer> block is empty`,
    });
  else if (r === true && !firstTimestamp(content)) {
    problems.push({
      severity: 'warning',
      code: 'answer-timestamp-mismatch',
      path,
      message: `${where}: an answerable GT answer should hold "X to Y" seconds, found "${clip(content.trim())}"`,
    });
  }
}

/** Half a unit of the last digit a number is written with: "56.1" → 0.05, "50" → 0.5. */
function writtenPrecision(written: string): number {
  const dot = written.indexOf('.');
  const decimals = dot < 0 ? 0 : written.length - dot - 1;
  return 0.5 * 10 ** -decimals;
}

/**
 * The answer's `X to Y` against the entry's timestamp, compared at the precision the answer
 * is written in (half its last digit): `50 to 56.1` agrees with [49.97, 56.15].
 */
export function checkAnswerTimestamp(q: QueryRecord, entry: VideoEntry, problems: PendingProblem[]): void {
  const block = firstAnswerBlock(q.a);
  const m = block !== null ? findTimestamp(block) : null;
  if (!m || !entry.timestamp) return;
  const [s, e] = entry.timestamp;
  const [x, y] = m.span;
  const tx = writtenPrecision(m.startText);
  const ty = writtenPrecision(m.endText);
  // 1e-9: a value exactly half a digit away (56.15 written as 56.1) is a rounding, not a mismatch.
  if (Math.abs(x - s) > tx + 1e-9 || Math.abs(y - e) > ty + 1e-9) {
    problems.push({
      severity: 'warning',
      code: 'answer-timestamp-mismatch',
      path: [entry.index, 'GRPO', q.index, 'a'],
      message:
        `entry ${entry.index}, query ${q.index}: the GT answer says ${m.startText} to ${m.endText} ` +
        `but the entry's timestamp is [${s}, ${e}] (compared at the answer's precision, ±${tx} and ±${ty} s)`,
    });
  }
}
