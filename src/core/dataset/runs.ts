/** Reads inference results and per-item evaluation files (FORMATS.md §2). */
import { isObject } from '../json/values';
import type { PendingProblem } from '../problems';
import { toDifficulty, toHardnessLevel, type HardnessLevel } from '../taxonomy';
import type { Span } from '../text';
import { emptyStats, type FileStats, type RunItem } from './model';

/** What reading a run file yields. */
export interface RunResult {
  items: RunItem[];
  stats: FileStats;
  problems: PendingProblem[];
}

const JUDGMENT_KEYS = ['classification_correct', 'iou', 'pred_categories', 'reasoning_score', 'sbert_similarity'];

/** True when a value looks like a list of model-output items. */
export function looksLikeRun(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first = value.find(isObject);
  return !!first && 'model_output' in first && ('query' in first || 'video' in first);
}

/** True when model-output items carry cached judgments (a per-item evaluation file). */
export function hasJudgments(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  const first = value.find(isObject);
  return !!first && JUDGMENT_KEYS.some((k) => k in first);
}

/** True when a value looks like a metrics.json the evaluator writes. */
export function looksLikeMetrics(value: unknown): boolean {
  return isObject(value) && 'relevance' in value && 'RA-IoU' in value;
}

/**
 * The hardness level an item carries, from `hardness_level`, `irrelevance_level` or
 * `difficulty` (first non-empty one that names a level).
 */
export function itemLevel(raw: Record<string, unknown>): HardnessLevel | undefined {
  return (
    toHardnessLevel(raw.hardness_level) ?? toHardnessLevel(raw.irrelevance_level) ?? toHardnessLevel(raw.difficulty)
  );
}

/** Python-style truthiness, as the reference evaluator reads `gt_relevant`. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return !!v;
}

/** True when `gtSpan(v)` is a span (without building it). */
function isSpan(v: unknown): boolean {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

/** The strings of a list, in order (anything else in it left out). */
function stringsOf(v: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(v)) for (const c of v) if (typeof c === 'string') out.push(c);
  return out;
}

/** The GT span the evaluator uses: a two-number `gt_timestamp`, else null. */
export function gtSpan(v: unknown): Span | null {
  return isSpan(v) ? [(v as number[])[0], (v as number[])[1]] : null;
}

/** A `gt_timestamp` that is there but not [start, end] with 0 ≤ start < end (null, [] and absent are fine). */
function spanProblem(v: unknown): Omit<PendingProblem, 'path'> | undefined {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number')
    return {
      severity: 'error',
      code: 'wrong-type',
      message: `should be [start, end] in seconds, found ${JSON.stringify(v)?.slice(0, 60)}`,
    };
  if (!Number.isFinite(v[0]) || !Number.isFinite(v[1])) return undefined; // said by checkNumbers
  if (v[0] < 0 || v[0] >= v[1])
    return {
      severity: 'error',
      code: 'timestamp-out-of-range',
      message: `[${v[0]}, ${v[1]}]: expected 0 ≤ start < end`,
    };
  return undefined;
}

/** Whether a JSON value holds a number a double cannot (Infinity from `1e400`), anywhere inside. */
function hasNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return false;
  return Array.isArray(v) ? listHasNonFinite(v) : objectHasNonFinite(v as Record<string, unknown>);
}

// Numbers and strings are tested where they stand, without a call: an item is mostly strings and
// short lists of numbers or strings, and a call per value was most of validation's time.
function listHasNonFinite(v: unknown[]): boolean {
  // Indexed, not for-of: an iterator per small list per item was most of what validation allocated.
  for (let k = 0; k < v.length; k++) {
    const x = v[k];
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return true;
    } else if (typeof x === 'object' && x !== null && hasNonFinite(x)) return true;
  }
  return false;
}

function objectHasNonFinite(o: Record<string, unknown>): boolean {
  // for-in, not Object.values: items from JSON.parse share a shape, so the keys come from its
  // enum cache and nothing is allocated per item.
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return true;
    } else if (typeof x === 'object' && x !== null && hasNonFinite(x)) return true;
  }
  return false;
}

/** Numbers a double cannot hold (`1e400` parses to Infinity): an error, or the items file would write null. */
function checkNumbers(v: unknown, path: (string | number)[], problems: PendingProblem[]): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      problems.push({
        severity: 'error',
        code: 'wrong-type',
        path: [...path],
        message: `item ${path[0]}: ${path
          .slice(1)
          .map((k) => (typeof k === 'number' ? `[${k}]` : `"${k}"`))
          .join('')} is a number too large to represent`,
      });
  } else if (Array.isArray(v)) v.forEach((x, k) => checkNumbers(x, [...path, k], problems));
  else if (isObject(v)) for (const k in v) checkNumbers(v[k], [...path, k], problems);
}

/** The string field `key` of item `i` ('' when it is missing or not a string, with a problem when that matters). */
function itemString(
  raw: Record<string, unknown>,
  i: number,
  key: string,
  required: boolean,
  problems: PendingProblem[],
): string {
  const v = raw[key];
  if (typeof v === 'string') return v;
  if (v === undefined) {
    if (required)
      problems.push({
        severity: 'error',
        code: 'missing-field',
        path: [i],
        message: `item ${i}: missing "${key}"`,
      });
  } else if (v !== null || required) {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [i, key],
      message: `item ${i}: "${key}" should be a string, found ${v === null ? 'null' : typeof v}`,
    });
  }
  return '';
}

/** The problems of item `i`'s ground-truth fields: gt_relevant, gt_timestamp, gt_output. */
function checkGtFields(
  raw: Record<string, unknown>,
  i: number,
  gtRelevant: boolean,
  hasTimestamp: boolean,
  gtOutput: string,
  problems: PendingProblem[],
): void {
  if (!('gt_relevant' in raw))
    problems.push({
      severity: 'error',
      code: 'missing-field',
      path: [i],
      message: `item ${i}: missing "gt_relevant" (counted as refusable, as the reference evaluator does)`,
    });
  else if (typeof raw.gt_relevant !== 'boolean')
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [i, 'gt_relevant'],
      message: `item ${i}: "gt_relevant" should be true or false, found ${JSON.stringify(raw.gt_relevant)?.slice(0, 40)}`,
    });
  const span = spanProblem(raw.gt_timestamp);
  if (span) problems.push({ ...span, path: [i, 'gt_timestamp'], message: `item ${i}: "gt_timestamp" ${span.message}` });
  else if (gtRelevant && !hasTimestamp) {
    problems.push({
      severity: 'warning',
      code: 'missing-timestamp',
      path: 'gt_timestamp' in raw ? [i, 'gt_timestamp'] : [i],
      message: `item ${i}: an answerable item needs "gt_timestamp" as [start, end]; its IoU will be 0`,
    });
  }
  if (!gtRelevant && gtOutput.trim() === '' && 'gt_relevant' in raw) {
    problems.push({
      severity: 'warning',
      code: 'empty-answer',
      path: 'gt_output' in raw ? [i, 'gt_output'] : [i],
      message: `item ${i}: a refusable item has no GT answer; its reasoning score and SBERT similarity cannot be computed`,
    });
  }
}

/** Past this many queries of one video, its queries go in a map instead of being scanned. */
const SCAN = 32;

/**
 * Finds the first earlier item with the same (video, query). Each video keeps its items as a
 * chain through one typed array (the map holds only the video's last item), so 50,000 items
 * make no map or list per video for the collector to copy; a video with more than `SCAN`
 * queries gets a query map once, built from its chain.
 */
export class DuplicateFinder {
  readonly #last = new Map<string, number>();
  readonly #byQuery = new Map<string, Map<string, number>>();
  readonly #next: Int32Array;
  /** Each item's query as `firstOf` was given it: a chain compares strings, loading no item field. */
  readonly #queries: string[];
  /** 1 for an item whose (video, query) an earlier item has. */
  readonly #repeat: Uint8Array;
  constructor(length: number) {
    this.#next = new Int32Array(length);
    this.#queries = new Array(length).fill('');
    this.#repeat = new Uint8Array(length);
  }

  /** Whether item `i` repeats an earlier item's (video, query). */
  repeats(i: number): boolean {
    return this.#repeat[i] === 1;
  }

  /** Whether some item met so far has this video and query (remembers nothing). */
  has(video: string, query: string): boolean {
    const map = this.#byQuery.size ? this.#byQuery.get(video) : undefined;
    if (map) return map.has(query);
    for (let k = this.#last.get(video) ?? -1; k !== -1; k = this.#next[k]) if (this.#queries[k] === query) return true;
    return false;
  }

  /** The first earlier item with this video and query (undefined when none), and remembers item `i`. */
  firstOf(i: number, video: string, query: string): number | undefined {
    // Nearly always empty: no map lookup per item until some video has passed SCAN queries.
    this.#queries[i] = query;
    const map = this.#byQuery.size ? this.#byQuery.get(video) : undefined;
    if (map) {
      const first = map.get(query);
      if (first === undefined) map.set(query, i);
      else this.#repeat[i] = 1;
      return first;
    }
    const last = this.#last.get(video);
    let first: number | undefined;
    let n = 0;
    for (let k = last ?? -1; k !== -1; k = this.#next[k]) {
      n++;
      if (this.#queries[k] === query) first = k; // the chain runs backwards: keep the earliest
    }
    this.#next[i] = last ?? -1;
    this.#last.set(video, i);
    if (first !== undefined) this.#repeat[i] = 1;
    if (n >= SCAN) this.#byQuery.set(video, this.#queryMap(i));
    return first;
  }

  /** A video's queries → first item, from its chain (newest first, so earlier items overwrite). */
  #queryMap(newest: number): Map<string, number> {
    const map = new Map<string, number>();
    for (let k = newest; k !== -1; k = this.#next[k]) map.set(this.#queries[k], k);
    return map;
  }

  /** Videos met (the empty name left out). */
  get videos(): number {
    return this.#last.size - (this.#last.has('') ? 1 : 0);
  }
}

/**
 * Validates model-output items and builds the run model; never throws on any JSON value.
 * `items: false` gives the problems only (the evaluation's check: no item model, no counts).
 * `each` is called with every object item once it is checked, in order (the evaluation judges it
 * there when its judge is local: one pass over the items instead of two).
 */
export function readRun(
  value: unknown,
  opts: {
    items?: boolean;
    each?: (raw: Record<string, unknown>, i: number) => void;
    /** Where the (video, query) pairs met are kept, for a caller that checks more items against them. */
    duplicates?: DuplicateFinder;
  } = {},
): RunResult {
  const keep = opts.items !== false;
  const problems: PendingProblem[] = [];
  const items: RunItem[] = [];
  const stats = emptyStats();
  if (!Array.isArray(value)) {
    problems.push({
      severity: 'error',
      code: 'wrong-type',
      path: [],
      message: 'expected a JSON array of inference items',
    });
    return { items, stats, problems };
  }
  const seen = opts.duplicates ?? new DuplicateFinder(value.length);
  const byCategory = new Map<string, number>();
  value.forEach((raw, i) => {
    if (!isObject(raw)) {
      problems.push({
        severity: 'error',
        code: 'wrong-type',
        path: [i],
        message: `item ${i}: expected an object, found ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
      });
      return;
    }
    if (hasNonFinite(raw)) checkNumbers(raw, [i], problems);
    const video = itemString(raw, i, 'video', true, problems);
    const query = itemString(raw, i, 'query', true, problems);
    const modelOutput = itemString(raw, i, 'model_output', true, problems);
    const gtOutput = itemString(raw, i, 'gt_output', false, problems);
    const gtRelevant = truthy(raw.gt_relevant);
    checkGtFields(raw, i, gtRelevant, isSpan(raw.gt_timestamp), gtOutput, problems);
    const first = seen.firstOf(i, video, query);
    if (first !== undefined)
      problems.push({
        severity: 'warning',
        code: 'duplicate-query',
        path: [i, 'query'],
        message: `item ${i}: the same (video, query) as item ${first}; both are counted`,
      });
    opts.each?.(raw, i);
    if (!keep) return;
    const level = itemLevel(raw);
    const gtTimestamp = gtSpan(raw.gt_timestamp);
    const gtCategories = stringsOf(raw.gt_categories);
    items.push({ index: i, video, query, modelOutput, gtRelevant, gtTimestamp, gtOutput, level, gtCategories, raw });
    stats.queries++;
    if (gtRelevant) stats.answerable++;
    else stats.refusable++;
    const d = level ? toDifficulty(level) : 'unknown';
    stats.byDifficulty[d] = (stats.byDifficulty[d] ?? 0) + 1;
    // A Map: its keys' hashes stay with the strings (an object's keys would be interned per item).
    const cats = raw.gt_categories;
    if (Array.isArray(cats))
      for (let k = 0; k < cats.length; k++) {
        const c: unknown = cats[k];
        if (typeof c === 'string') byCategory.set(c, (byCategory.get(c) ?? 0) + 1);
      }
  });
  stats.videos = seen.videos;
  for (const [c, n] of byCategory) stats.byCategory[c] = n;
  return { items, stats, problems };
}
