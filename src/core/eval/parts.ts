/**
 * An offline evaluation of a large file on two threads: this thread reads, checks and judges the
 * first part of the file while a worker does the second (split.ts cuts it at an item boundary);
 * then the worker's judgments are added after this thread's, in item order, so every sum is
 * added in the order one thread adds it and the figures are the same to the last bit.
 *
 * Nothing depends on the worker: whenever a part cannot be read, parsed or judged as it is, or
 * an item in either part fails validation, the caller evaluates the whole file in this thread,
 * with its messages and positions.
 */
import { resolve } from 'node:path';
import { hasJudgments, DuplicateFinder } from '../dataset/runs';
import { parseJson } from '../json/positions';
import { isObject } from '../json/values';
import { categoryIndex } from '../taxonomy';
import type { WorkerThreads } from '../threads/pool';
import type { ThreadReply } from '../threads/protocol';
import type { StepError } from './evaluate';
import { offlineJudge } from './judge';
import { blank, JudgmentStore, type StoreFigures } from './judgmentStore';
import type { MetricsTally } from './metrics';
import { judgesInOnePass, localJudging, type OnePassOptions } from './onePass';
import { asItems, validateItems } from './read';
import { addReused, countReused, judgeThatWrote, type ReusedCounts } from './reuse';
import { findCut, readPart, type Cut } from './split';
import { ItemLabels } from './tally';

/**
 * The share of the file the command's thread takes: it also adds the worker's judgments to its
 * sums, and while both threads work the collector's helpers have no free core (50,000 items, the
 * two threads' ends closest at 0.6 of the file: 0.5 left this thread waiting, 0.7 the worker).
 */
export const FIRST_SHARE = 0.6;

/**
 * What the worker sends back of the second part: what the metrics and the report read of each
 * judgment, in typed arrays (transferred, not copied) and short lists. A judgment's lists (spans,
 * predicted categories) stay in the worker: a result that needs them judges the file again.
 */
export interface SecondPart {
  count: number;
  warningsByCode: Record<string, number>;
  /** The (video, query) of each item whose pair no earlier item of its part has, for the first part to check. */
  videos: string[];
  queries: string[];
  figures: StoreFigures;
  /** GT categories of GT-irrelevant items as taxonomy indices: item i's are ids[start[i]..start[i+1]) of a list of total[i] labels. */
  labels: { ids: Int8Array; start: Int32Array; total: Int32Array };
  /** Reasons something was not computed: item i's are reasons[ids[start[i]..start[i+1])]. */
  notComputed: { reasons: string[]; ids: Int32Array; start: Int32Array };
  /** The rare failed items, by index in the part. */
  errors: [number, StepError[]][];
  reused: ReusedCounts;
}

/** The buffers of a second part, to transfer rather than copy. */
export const partBuffers = (p: SecondPart): ArrayBuffer[] =>
  [
    ...Object.values(p.figures),
    p.labels.ids,
    p.labels.start,
    p.labels.total,
    p.notComputed.ids,
    p.notComputed.start,
  ].map((a) => a.buffer as ArrayBuffer);

/** The second part's reply from a store of its judgments. */
function partReply(store: JudgmentStore): Pick<SecondPart, 'figures' | 'labels' | 'notComputed' | 'errors' | 'reused'> {
  const n = store.length;
  const figures = store.figures();
  const labelStart = new Int32Array(n + 1);
  const total = new Int32Array(n);
  const labelIds: number[] = [];
  const reasonStart = new Int32Array(n + 1);
  const reasonIds: number[] = [];
  const reasons: string[] = [];
  const reasonId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (!figures.gtRelevant[i]) {
      const cats = store.gtCategoriesAt(i);
      total[i] = cats.length;
      for (let k = 0; k < cats.length; k++) {
        const id = categoryIndex(cats[k]);
        if (id >= 0) labelIds.push(id);
      }
    }
    labelStart[i + 1] = labelIds.length;
    const why = store.notComputed.get(i);
    if (why)
      for (const r of why) {
        let id = reasonId.get(r);
        if (id === undefined) reasonId.set(r, (id = reasons.push(r) - 1));
        reasonIds.push(id);
      }
    reasonStart[i + 1] = reasonIds.length;
  }
  return {
    figures,
    labels: { ids: Int8Array.from(labelIds), start: labelStart, total },
    notComputed: { reasons, ids: Int32Array.from(reasonIds), start: reasonStart },
    errors: [...store.errors],
    reused: countReused(store),
  };
}

/** In a worker: the second part of `path` read, checked and judged offline; throws when it cannot. */
export function secondPart(path: string, cut: Cut): SecondPart {
  const text = readPart(path, cut, 'second');
  if (text === undefined) throw new Error(`${path} changed after it was measured`);
  const parsed = parseJson(text);
  if (!parsed.ok || !Array.isArray(parsed.value))
    throw new Error(`${path}: the part after byte ${cut.at} does not parse`);
  const items = parsed.value as unknown[];
  if (!items.every(isObject))
    throw new Error(`${path}: the part after byte ${cut.at} has an item that is not an object`);
  const one = localJudging(items.length, { judge: { judge: offlineJudge } }, undefined)!;
  const duplicates = new DuplicateFinder(items.length);
  const file = { path, text, items: items as Record<string, unknown>[] };
  const { errors, warningsByCode } = validateItems(file, one.each, duplicates);
  if (errors.length) throw new Error(`${errors.length} items of the second part failed validation`);
  const videos: string[] = [];
  const queries: string[] = [];
  file.items.forEach((it, i) => {
    if (duplicates.repeats(i)) return;
    videos.push(it.video as string);
    queries.push(it.query as string);
  });
  return { count: items.length, warningsByCode, videos, queries, ...partReply(one.store) };
}

/** A file judged in two parts: the metrics' sums and what the run reports (the judgments' lists stayed in the worker). */
export interface JudgedInParts {
  /** Items in the file. */
  count: number;
  tally: MetricsTally;
  warningsByCode: Record<string, number>;
  failedItems: number;
  reused: ReusedCounts;
  writer: Promise<string | null> | undefined;
}

/**
 * Whether a run can go in two parts: a file of items (not items in memory) judged in the
 * validation pass by the offline judge (the one a worker has), with a worker to do it.
 */
export function splits(options: OnePassOptions & { input: unknown }, threads: WorkerThreads | undefined): boolean {
  return (
    !!threads?.size &&
    typeof options.input === 'string' &&
    judgesInOnePass(options) &&
    options.judge.judge === offlineJudge &&
    !options.judge.disagreements
  );
}

/** `p`, or an AbortError as soon as `signal` aborts (Ctrl-C does not wait for the worker's part). */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

const sameCut = (a: Cut, b: Cut) => a.at === b.at && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The worker's second part: the one it started on by itself if that is this file's at this cut, else asked for now. */
async function secondFrom(threads: WorkerThreads, path: string, cut: Cut): Promise<SecondPart | undefined> {
  const early = (await threads.earlyReply()) as
    | { early?: { path: string; cut: Cut } | null; part?: SecondPart }
    | undefined;
  if (early?.early && early.part && early.early.path === resolve(path) && sameCut(early.early.cut, cut))
    return early.part;
  return (await threads.ask<Extract<ThreadReply, { part: unknown }>>(0, { kind: 'part', path, cut }))?.part;
}

/**
 * Evaluates `path` in two parts (see the top of this file); undefined when the caller should
 * evaluate it in one. Aborting the signal stops this thread's part with an AbortError.
 */
export async function judgeInParts(
  path: string,
  options: OnePassOptions,
  threads: WorkerThreads,
  signal: AbortSignal | undefined,
  onPhase: (phase: 'read' | 'parse') => void,
): Promise<JudgedInParts | undefined> {
  let cut: Cut | undefined;
  try {
    cut = findCut(path, FIRST_SHARE);
  } catch {
    return undefined; // a missing or unreadable file: the one-thread read says so in its words
  }
  if (!cut) return undefined;
  const second = secondFrom(threads, path, cut);
  const text = readPart(path, cut, 'first');
  if (text === undefined) return undefined;
  onPhase('read');
  const parsed = parseJson(text);
  if (!parsed.ok) return undefined;
  onPhase('parse');
  let items: Record<string, unknown>[];
  try {
    items = asItems(path, text, parsed.value);
  } catch {
    return undefined;
  }
  const writer = hasJudgments(items) ? judgeThatWrote(path) : undefined;
  const one = localJudging(items.length, options, signal)!;
  const duplicates = new DuplicateFinder(items.length);
  const { errors, warningsByCode } = validateItems({ path, text, items }, one.each, duplicates);
  if (errors.length) return undefined;
  const reply = await unlessAborted(second, signal);
  if (!reply) return undefined;

  // The worker's judgments summed after this thread's, in item order: the sums of one thread.
  const { tally } = one;
  const part = new JudgmentStore(reply.count, reply.figures);
  for (const [i, e] of reply.errors) part.errors.set(i, e);
  const j = blank();
  const labels = new ItemLabels();
  const { ids, start, total } = reply.labels;
  const why = reply.notComputed;
  for (let i = 0; i < reply.count; i++) {
    part.load(i, j);
    if (why.start[i + 1] > why.start[i])
      j.notComputed = Array.from(why.ids.subarray(why.start[i], why.start[i + 1]), (r) => why.reasons[r]);
    tally.add(j, labels.setIds(ids, start[i], start[i + 1], total[i]));
  }
  for (const [code, k] of Object.entries(reply.warningsByCode)) warningsByCode[code] = (warningsByCode[code] ?? 0) + k;
  let repeats = 0;
  for (let k = 0; k < reply.videos.length; k++) if (duplicates.has(reply.videos[k], reply.queries[k])) repeats++;
  if (repeats) warningsByCode['duplicate-query'] = (warningsByCode['duplicate-query'] ?? 0) + repeats;
  return {
    count: items.length + reply.count,
    tally,
    warningsByCode,
    failedItems: one.store.errors.size + reply.errors.length,
    reused: addReused(countReused(one.store), reply.reused),
    writer,
  };
}
