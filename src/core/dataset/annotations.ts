/** Reads and validates HI-VTG annotation files (FORMATS.md §1), keeping every quirk visible. */
import { isFiniteNumber, isObject, typeName } from '../json/values';
import type { PendingProblem } from '../problems';
import { DIFFICULTIES, isCategory, toHardnessLevel, type Difficulty } from '../taxonomy';
import { answerTags, findTimestamp, firstAnswerBlock, firstTimestamp, type Span } from '../text';
import { emptyStats, type FileStats, type QueryRecord, type VideoEntry } from './model';

/** What validating an annotation array yields. */
export interface AnnotationResult {
  entries: VideoEntry[];
  stats: FileStats;
  problems: PendingProblem[];
}

const DIFFICULTY_SET: ReadonlySet<string> = new Set(DIFFICULTIES);

/** True when a value looks like an annotation array (used to tell file kinds apart). */
export function looksLikeAnnotations(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first = value.find(isObject);
  return !!first && ('GRPO' in first || ('query_text' in first && 'timestamp' in first));
}

/** Validates an annotation array and builds its entries; never throws on any JSON value. */
export function readAnnotations(value: unknown): AnnotationResult {
  const problems: PendingProblem[] = [];
  const entries: VideoEntry[] = [];
  const stats = emptyStats();
  if (!Array.isArray(value)) {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [],
      message: `expected a JSON array of video entries, found ${typeName(value)}`,
    });
    return { entries, stats, problems };
  }
  // video → query → first place (entry, query index); nested maps avoid building a key string per query.
  const seen = new Map<string, Map<string, [number, number]>>();
  const videos = new Set<string>();

  value.forEach((raw, i) => {
    if (!isObject(raw)) {
      problems.push({
        severity: 'error',
        code: 'wrong-type',
        path: [i],
        message: `entry ${i}: expected an object with "video" and "GRPO", found ${typeName(raw)}`,
      });
      return;
    }
    const video = readVideo(raw, i, problems);
    const duration = readDuration(raw, i, problems);
    const videoStart = isFiniteNumber(raw.video_start) ? raw.video_start : null;
    const videoEnd = isFiniteNumber(raw.video_end) ? raw.video_end : null;
    const timestamp = readSpan(raw.timestamp, [i, 'timestamp'], duration, `entry ${i}`, problems, 'timestamp' in raw);
    const entry: VideoEntry = { index: i, video, duration, videoStart, videoEnd, timestamp, queries: [] };
    entries.push(entry);
    if (video) videos.add(video);

    const grpo = raw.GRPO;
    if (grpo === undefined) {
      problems.push({
        severity: 'error',
        code: 'missing-field',
        path: [i],
        message: `entry ${i} (${video || 'no video'}): missing "GRPO", the list of queries`,
      });
      return;
    }
    if (!Array.isArray(grpo)) {
      problems.push({
        severity: 'error',
        code: 'wrong-type',
        path: [i, 'GRPO'],
        message: `entry ${i}: "GRPO" should be an array of queries, found ${typeName(grpo)}`,
      });
      return;
    }
    if (grpo.length === 0) {
      problems.push({
        severity: 'warning',
        code: 'no-queries',
        path: [i, 'GRPO'],
        message: `entry ${i} (${video || 'no video'}) has no queries`,
      });
    }
    let hasAnswerable = false;
    grpo.forEach((g, j) => {
      const q = readQuery(g, i, j, entry, problems);
      if (!q) return;
      entry.queries.push(q);
      stats.queries++;
      if (q.r === true) {
        stats.answerable++;
        hasAnswerable = true;
      } else if (q.r === false) stats.refusable++;
      const d = q.difficulty ?? (q.r === true ? 'original' : 'unknown');
      stats.byDifficulty[d] = (stats.byDifficulty[d] ?? 0) + 1;
      for (const c of q.categories) stats.byCategory[c] = (stats.byCategory[c] ?? 0) + 1;
      if (video && q.q) {
        let byQuery = seen.get(video);
        if (!byQuery) seen.set(video, (byQuery = new Map()));
        const prev = byQuery.get(q.q);
        if (prev) {
          problems.push({
            severity: 'warning',
            code: 'duplicate-query',
            path: [i, 'GRPO', j, 'q'],
            message: `the query "${clip(q.q)}" of ${video} occurs again (first at entry ${prev[0]}, query ${prev[1]}); joins by (video, query) are ambiguous`,
            data: { first: [prev[0], 'GRPO', prev[1]] },
          });
        } else byQuery.set(q.q, [i, j]);
      }
      if (q.r === true) checkAnswerTimestamp(q, entry, problems);
    });
    if (hasAnswerable && !timestamp && Array.isArray(raw.timestamp) && raw.timestamp.length === 0) {
      problems.push({
        severity: 'warning',
        code: 'missing-timestamp',
        path: [i, 'timestamp'],
        message: `entry ${i}: "timestamp" is empty but the video has answerable queries`,
      });
    }
  });
  stats.videos = videos.size;
  return { entries, stats, problems };
}

function clip(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function readVideo(raw: Record<string, unknown>, i: number, problems: PendingProblem[]): string {
  if (!('video' in raw)) {
    problems.push({
      severity: 'error',
      code: 'missing-field',
      path: [i],
      message: `entry ${i}: missing "video", the path of the video`,
    });
    return '';
  }
  if (typeof raw.video !== 'string') {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [i, 'video'],
      message: `entry ${i}: "video" should be a string path, found ${typeName(raw.video)}`,
    });
    return '';
  }
  return raw.video;
}

function readDuration(raw: Record<string, unknown>, i: number, problems: PendingProblem[]): number | null {
  const d = raw.duration;
  if (isFiniteNumber(d)) {
    if (d <= 0)
      problems.push({
        severity: 'error',
        code: 'timestamp-out-of-range',
        path: [i, 'duration'],
        message: `entry ${i}: duration ${d} should be greater than 0`,
      });
    return d;
  }
  if (d !== undefined && d !== null) {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [i, 'duration'],
      message: `entry ${i}: "duration" should be a number of seconds or null, found ${typeName(d)}`,
    });
    return null;
  }
  const s = raw.video_start;
  const e = raw.video_end;
  if (isFiniteNumber(s) && isFiniteNumber(e) && e > s) return e - s;
  problems.push({
    severity: 'info',
    code: 'missing-duration',
    path: d === null ? [i, 'duration'] : [i],
    message: `entry ${i}: no duration (and no video_start/video_end); end-of-video checks and the refuse-IoU reward need it (read it from the video)`,
  });
  return null;
}

/** Reads a `[start, end]` span, reporting out-of-range values. */
function readSpan(
  v: unknown,
  path: (string | number)[],
  duration: number | null,
  what: string,
  problems: PendingProblem[],
  present: boolean,
): Span | null {
  if (!present || v === null || (Array.isArray(v) && v.length === 0)) return null;
  if (!Array.isArray(v) || v.length !== 2 || !isFiniteNumber(v[0]) || !isFiniteNumber(v[1])) {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path,
      message: `${what}: "timestamp" should be [start, end] in seconds or [], found ${describeSpan(v)}`,
    });
    return null;
  }
  const [s, e] = v as [number, number];
  checkRange(s, e, duration, path, what, problems);
  return [s, e];
}

/** What a malformed span is, in words (strings of digits are said as such, with the fix). */
function describeSpan(v: unknown): string {
  if (Array.isArray(v) && v.some((x) => typeof x === 'number' && !Number.isFinite(x)))
    return 'a number too large to represent';
  const shown = JSON.stringify(v)?.slice(0, 60);
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'))
    return v.every((x) => x.trim() !== '' && Number.isFinite(Number(x)))
      ? `strings ${shown}, not numbers: write the seconds without quotes`
      : `strings ${shown}, not numbers of seconds`;
  if (Array.isArray(v) && v.length !== 2) return `${v.length} values ${shown}`;
  return `${typeName(v)} ${shown}`;
}

function checkRange(
  s: number,
  e: number,
  duration: number | null,
  path: (string | number)[],
  what: string,
  problems: PendingProblem[],
): void {
  if (s < 0) {
    problems.push({
      severity: 'error',
      code: 'timestamp-out-of-range',
      path,
      message: `${what}: start ${s} is negative`,
      data: { start: s, end: e, duration },
    });
  }
  if (s >= e) {
    problems.push({
      severity: 'error',
      code: 'timestamp-out-of-range',
      path,
      message: `${what}: start ${s} is not before end ${e}`,
      data: { start: s, end: e, duration },
    });
  }
  if (duration !== null && e > duration) {
    problems.push({
      severity: 'warning',
      code: 'timestamp-out-of-range',
      path,
      message: `${what}: end ${e} is past the video's duration ${duration}`,
      data: { start: s, end: e, duration, fix: 'clamp-end' },
    });
  }
}

function readQuery(
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
  let r: boolean | null = null;
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
  else r = g.r;

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
function checkAnswerTimestamp(q: QueryRecord, entry: VideoEntry, problems: PendingProblem[]): void {
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
      message: `entry ${entry.index}, query ${q.index}: the GT answer says ${m.startText} to ${m.endText} but the entry's timestamp is [${s}, ${e}] (compared at the answer's precision, ±${tx} and ±${ty} s)`,
    });
  }
}
