/**
 * A large items file evaluated in parts on worker threads (core/threads), for the offline judge:
 * the file is cut between whole items, each worker parses, validates and judges its part while
 * this thread does the first, and the metrics take the parts' judgments in item order
 * (`MetricsAccumulator`), so they are the same as in one thread to the last bit.
 *
 * Anything unusual leaves the file to `runEvaluation` in one thread, which then says what and
 * where: a file it cannot cut (no line break between items, a BOM, text after the array), a part
 * that does not parse, any validation error, a worker that fails.
 */
import { readRun } from '../dataset/runs';
import { parseJson } from '../json/positions';
import { packJudgments, unpackJudgments } from '../compare/wire';
import type { WorkerThreads } from '../threads/pool';
import type { EvaluatedPart } from '../threads/protocol';
import { judgeItems, withoutJudgments, type ItemJudgment } from './evaluate';
import { offlineJudge } from './judge';
import { MetricsAccumulator } from './metrics';
import { readBytes } from './read';
import { evaluationOutcome, type EvaluationOptions, type EvaluationProgress, type EvaluationResult } from './run';

/** Below this size a file is evaluated in one thread (starting workers would cost more than they save). */
export const PARTS_MIN_BYTES = 8_000_000;

/** This thread's share of the work against one worker's (it starts at once; workers start with the command). */
const OWN_WEIGHT = 1.2;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Where to cut the array text `buf` near `target`: a `{` that starts an item, with the `}`, `,`
 * before it and a line break in the white space around the comma. JSON strings hold no raw line
 * break, so these are tokens, not text; that they close and open top-level items is checked when
 * each part parses as an array. Returns the comma's and the brace's offsets, or undefined.
 */
export function cutNear(buf: Uint8Array, target: number, limit: number): { comma: number; open: number } | undefined {
  let at = target;
  for (;;) {
    const open = buf.indexOf(0x7b, at);
    if (open < 0 || open >= limit) return undefined;
    let i = open - 1;
    let newline = false;
    while (i > 0 && isSpace(buf[i])) newline ||= buf[i--] === 0x0a;
    if (buf[i] === 0x2c) {
      const comma = i--;
      while (i > 0 && isSpace(buf[i])) newline ||= buf[i--] === 0x0a;
      if (newline && buf[i] === 0x7d) return { comma, open };
    }
    at = open + 1;
  }
}

/** The byte ranges of the parts (whole items, without brackets), or undefined when the file cannot be cut. */
export function partRanges(buf: Uint8Array, parts: number): [number, number][] | undefined {
  let first = 0;
  while (first < buf.length && isSpace(buf[first])) first++;
  let last = buf.length - 1;
  while (last > first && isSpace(buf[last])) last--;
  if (buf[first] !== 0x5b || buf[last] !== 0x5d) return undefined;
  const total = OWN_WEIGHT + (parts - 1);
  const ranges: [number, number][] = [];
  let start = first + 1;
  let share = OWN_WEIGHT;
  for (let k = 1; k < parts; k++) {
    const target = first + Math.floor(((last - first) * share) / total);
    const cut = cutNear(buf, Math.max(target, start), last);
    if (!cut) return undefined;
    ranges.push([start, cut.comma]);
    start = cut.open;
    share += 1;
  }
  ranges.push([start, last]);
  return ranges;
}

const decodePart = (bytes: Uint8Array) =>
  `[${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')}]`;

/** Parses, validates and judges (offline) one part's items; `seen` collects their (video, query) keys. */
async function evaluatePart(
  take: () => string,
  rejudge: boolean,
  seen: Map<string, Map<string, number>>,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ part: Omit<EvaluatedPart, 'judgments' | 'firstKeys'>; judgments: ItemJudgment[] } | undefined> {
  const parsed = parseJson(take()); // the text is not kept: only the items
  if (!parsed.ok || !Array.isArray(parsed.value)) return undefined;
  const items = parsed.value as Record<string, unknown>[];
  if (!items.every((it) => typeof it === 'object' && it !== null && !Array.isArray(it))) return undefined;
  const warningsByCode: Record<string, number> = {};
  let errors = 0;
  for (const p of readRun(items, { items: false, seen }).problems)
    if (p.severity === 'error') errors++;
    else warningsByCode[p.code] = (warningsByCode[p.code] ?? 0) + 1;
  const hasModelOutput = items.some((it) => 'model_output' in it);
  if (errors) return { part: { items: items.length, errors, warningsByCode, hasModelOutput }, judgments: [] };
  const judgments = await judgeItems(rejudge ? items.map(withoutJudgments) : items, {
    judge: offlineJudge,
    signal,
    onProgress,
  });
  return { part: { items: items.length, errors, warningsByCode, hasModelOutput }, judgments };
}

/** In a worker: one part, its judgments packed. `take` hands over the part's bytes once (so they can go). */
export async function evaluatePartJob(take: () => Uint8Array, rejudge: boolean): Promise<EvaluatedPart> {
  const seen = new Map<string, Map<string, number>>();
  const r = await evaluatePart(() => decodePart(take()), rejudge, seen);
  if (!r) throw new Error('the part does not parse as whole items');
  const firstKeys: string[] = [];
  for (const [video, queries] of seen) for (const query of queries.keys()) firstKeys.push(video, query);
  return { ...r.part, firstKeys, judgments: packJudgments(r.judgments) };
}

/**
 * The file cut into this thread's part (as text) and the workers' (bytes in buffers of their own,
 * to move to them), or undefined when it is too small or cannot be cut. The file's buffer is not
 * kept: only the parts are.
 */
async function cutFile(path: string, threads: WorkerThreads, options: { minBytes?: number }) {
  const buf = await readBytes(path);
  const ranges = buf.length >= (options.minBytes ?? PARTS_MIN_BYTES) ? partRanges(buf, threads.size + 1) : undefined;
  if (!ranges) return undefined;
  const [s0, e0] = ranges[0];
  return {
    own: `[${buf.toString('utf8', s0, e0)}]`,
    theirs: ranges.slice(1).map(([s, e]) => new Uint8Array(buf.subarray(s, e))),
  };
}

/** What `evaluateInParts` returns: `EvaluationResult` without the items (they stay in the workers). */
export type PartsResult = Omit<EvaluationResult, 'items' | 'rows'>;

/**
 * Evaluates the items file `path` in parts with the offline judge, or returns undefined when
 * it should be evaluated in one thread (see the module comment). Call it only for the offline
 * judge without sentence similarity, `skipInvalid` or disagreements.
 */
export async function evaluateInParts(
  path: string,
  options: Pick<EvaluationOptions, 'judge' | 'rejudge'> & { minBytes?: number },
  threads: WorkerThreads,
  signal?: AbortSignal,
  onProgress?: (p: EvaluationProgress) => void,
): Promise<PartsResult | undefined> {
  if (!threads.size || options.judge.judge !== offlineJudge) return undefined;
  const cut = await cutFile(path, threads, options);
  onProgress?.({ phase: 'read', done: 1, total: 1 });
  if (!cut) return undefined;
  const rejudge = !!options.rejudge;
  const asks = cut.theirs.map((bytes, k) =>
    threads.ask<{ id: number } & EvaluatedPart>(k, { kind: 'evaluate-part', bytes, rejudge }, [bytes.buffer]),
  );
  const seen = new Map<string, Map<string, number>>();
  const own = await evaluatePart(
    () => {
      const text = cut.own;
      cut.own = '';
      return text;
    },
    rejudge,
    seen,
    (done, total) => onProgress?.({ phase: 'judge', done, total }),
    signal,
  );
  if (!own || own.part.errors) return undefined;
  const acc = new MetricsAccumulator();
  acc.add(own.judgments);
  const judgments = own.judgments;
  const warnings = { ...own.part.warningsByCode };
  let items = own.part.items;
  let hasModelOutput = own.part.hasModelOutput;
  for (const ask of asks) {
    const part = await ask;
    signal?.throwIfAborted();
    if (!part || part.errors) return undefined;
    const duplicates = crossDuplicates(seen, part.firstKeys);
    if (duplicates) warnings['duplicate-query'] = (warnings['duplicate-query'] ?? 0) + duplicates;
    for (const [code, n] of Object.entries(part.warningsByCode)) warnings[code] = (warnings[code] ?? 0) + n;
    const theirs = unpackJudgments(part.judgments);
    acc.add(theirs);
    for (const j of theirs) judgments.push(j);
    items += part.items;
    hasModelOutput ||= part.hasModelOutput;
  }
  if (!hasModelOutput) return undefined; // not a run: one thread says so
  const metrics = acc.metrics({ judge: offlineJudge.name, itemsInvalid: 0 });
  const outcome = await evaluationOutcome(options.judge, metrics, { path, items }, judgments, {
    invalid: [],
    warningsByCode: warnings,
  });
  onProgress?.({ phase: 'aggregate', done: 1, total: 1 });
  return { ...outcome, judgments };
}

/** Keys of a later part already seen in earlier parts (each a duplicate-query warning), added to `seen`. */
function crossDuplicates(seen: Map<string, Map<string, number>>, firstKeys: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < firstKeys.length; i += 2) {
    const video = firstKeys[i];
    let queries = seen.get(video);
    if (!queries) seen.set(video, (queries = new Map()));
    if (queries.has(firstKeys[i + 1])) n++;
    else queries.set(firstKeys[i + 1], -1);
  }
  return n;
}
