/** Reads and validates HI-VTG annotation files (FORMATS.md §1), keeping every quirk visible. */
import { isFiniteNumber, isObject, typeName } from '../json/values';
import type { PendingProblem } from '../problems';
import type { Span } from '../text';
import { checkAnswerTimestamp, clip, readQuery } from './annotationQueries';
import { emptyStats, type FileStats, type QueryRecord, type VideoEntry } from './model';

/** What validating an annotation array yields. */
export interface AnnotationResult {
  entries: VideoEntry[];
  stats: FileStats;
  problems: PendingProblem[];
}

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

    readGrpo(raw, entry, stats, seen, problems);
  });
  stats.videos = videos.size;
  return { entries, stats, problems };
}

/** Reads entry `raw`'s "GRPO" query list into `entry.queries`, counting them and noting duplicates. */
function readGrpo(
  raw: Record<string, unknown>,
  entry: VideoEntry,
  stats: FileStats,
  seen: Map<string, Map<string, [number, number]>>,
  problems: PendingProblem[],
): void {
  const { index: i, video, timestamp } = entry;
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
    if (countQuery(stats, q)) hasAnswerable = true;
    if (video && q.q) checkDuplicate(seen, video, q, i, j, problems);
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
}

/** Counts query `q` into `stats`; true when it is answerable. */
function countQuery(stats: FileStats, q: QueryRecord): boolean {
  stats.queries++;
  if (q.r === true) stats.answerable++;
  else if (q.r === false) stats.refusable++;
  const d = q.difficulty ?? (q.r === true ? 'original' : 'unknown');
  stats.byDifficulty[d] = (stats.byDifficulty[d] ?? 0) + 1;
  for (const c of q.categories) stats.byCategory[c] = (stats.byCategory[c] ?? 0) + 1;
  return q.r === true;
}

/** Notes a query asked again of the same video (joins by (video, query) become ambiguous). */
function checkDuplicate(
  seen: Map<string, Map<string, [number, number]>>,
  video: string,
  q: QueryRecord,
  i: number,
  j: number,
  problems: PendingProblem[],
): void {
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
