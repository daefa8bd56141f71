/** Indexes annotation files and runs: kinds by content, statistics, problems with positions. */
import { basename } from 'node:path';
import { LineIndex, parseJson } from '../json/positions';
import { compareProblems, type PendingProblem, type Problem } from '../problems';
import { looksLikeAnnotations, readAnnotations } from './annotations';
import {
  emptyStats,
  joinKey,
  shardNumber,
  type FileKind,
  type FileStats,
  type RunItem,
  type VideoEntry,
} from './model';
import { placeProblems } from './place';
import { hasJudgments, looksLikeMetrics, looksLikeRun, readRun } from './runs';
import type { SkippedPath } from './walk';

/** One indexed file. */
export interface IndexedFile {
  path: string;
  kind: FileKind;
  stats: FileStats;
  problems: Problem[];
  /** Annotation entries (annotations only). */
  entries?: VideoEntry[];
  /** Model-output items (inference results and evaluation items). */
  items?: RunItem[];
  /** GPU shard number for `inference_results_gpu{i}.json`. */
  shard?: number;
}

/** Totals over annotation files (runs are not counted again). */
export interface IndexTotals {
  files: number;
  videos: number;
  queries: number;
  answerable: number;
  refusable: number;
}

/** The whole index. */
export interface IndexResult {
  files: IndexedFile[];
  problems: Problem[];
  totals: IndexTotals;
  /** What was left out, and why (links to files already indexed, pipes, unreadable paths). */
  skipped: SkippedPath[];
}

/** Indexes one file's text (pure: no file system). Unknown JSON becomes kind `other`. */
export function indexText(path: string, text: string): IndexedFile {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const pos = new LineIndex(text).position(parsed.offset);
    return {
      path,
      kind: 'invalid',
      stats: emptyStats(),
      problems: [
        {
          file: path,
          line: pos.line,
          column: pos.column,
          severity: 'error',
          code: 'invalid-json',
          message: `not valid JSON: ${parsed.message}`,
        },
      ],
    };
  }
  return indexValue(path, text, parsed.value);
}

/** Classifies and validates an already-parsed value; `text` is only read to place problems. */
export function indexValue(path: string, text: string, value: unknown): IndexedFile {
  const kind = classify(path, value);
  if (kind === 'annotations') {
    const r = readAnnotations(value);
    return { path, kind, stats: r.stats, problems: placeProblems(path, text, r.problems), entries: r.entries };
  }
  if (kind === 'inference' || kind === 'inference-shard' || kind === 'evaluation-items') {
    const r = readRun(value);
    return {
      path,
      kind,
      stats: r.stats,
      problems: placeProblems(path, text, r.problems),
      items: r.items,
      shard: shardNumber(basename(path)),
    };
  }
  return { path, kind, stats: emptyStats(), problems: [] };
}

/** Tells file kinds apart by content (the file name only separates GPU shards). */
export function classify(path: string, value: unknown): FileKind {
  if (looksLikeAnnotations(value)) return 'annotations';
  if (looksLikeRun(value)) {
    if (hasJudgments(value)) return 'evaluation-items';
    return shardNumber(basename(path)) !== undefined ? 'inference-shard' : 'inference';
  }
  if (looksLikeMetrics(value)) return 'metrics';
  return 'other';
}

/** Builds totals and the sorted problem list. */
export function summarize(files: IndexedFile[], skipped: SkippedPath[] = []): IndexResult {
  const videos = new Set<string>();
  const totals: IndexTotals = { files: files.length, videos: 0, queries: 0, answerable: 0, refusable: 0 };
  for (const f of files) {
    f.problems.sort(compareProblems);
    if (f.kind !== 'annotations') continue;
    totals.queries += f.stats.queries;
    totals.answerable += f.stats.answerable;
    totals.refusable += f.stats.refusable;
    for (const e of f.entries ?? []) if (e.video) videos.add(e.video);
  }
  totals.videos = videos.size;
  return { files, problems: files.flatMap((f) => f.problems), totals, skipped };
}

/** Where an annotation query lives. */
export interface QueryRef {
  file: IndexedFile;
  entry: VideoEntry;
  queryIndex: number;
}

/** (video, query) → every annotation query with that pair, across annotation files. */
export function buildJoinIndex(files: IndexedFile[]): Map<string, QueryRef[]> {
  const map = new Map<string, QueryRef[]>();
  for (const f of files) {
    if (f.kind !== 'annotations') continue;
    for (const e of f.entries ?? []) {
      e.queries.forEach((q, k) => {
        const key = joinKey(e.video, q.q);
        const list = map.get(key);
        const ref = { file: f, entry: e, queryIndex: k };
        if (list) list.push(ref);
        else map.set(key, [ref]);
      });
    }
  }
  return map;
}

const MAX_JOIN_PROBLEMS = 20;

/**
 * Joins run items to annotations by (video, query). Runs that share no video with any
 * annotation file are about another dataset and are not checked.
 */
export function checkJoins(files: IndexedFile[]): Map<IndexedFile, PendingProblem[]> {
  const out = new Map<IndexedFile, PendingProblem[]>();
  if (!files.some((f) => f.items?.length)) return out;
  const index = buildJoinIndex(files);
  if (!index.size) return out;
  const annotatedVideos = new Set<string>();
  for (const f of files) for (const e of f.entries ?? []) annotatedVideos.add(e.video);
  for (const f of files) {
    if (!f.items) continue;
    if (!f.items.some((it) => annotatedVideos.has(it.video))) continue;
    const pending: PendingProblem[] = [];
    let missing = 0;
    for (const it of f.items) {
      const refs = index.get(joinKey(it.video, it.query));
      if (!refs) {
        if (++missing <= MAX_JOIN_PROBLEMS)
          pending.push({
            severity: 'info',
            code: 'join-missing',
            path: [it.index, 'query'],
            message: `item ${it.index}: no annotation query matches this (video, query) pair`,
          });
      } else if (refs.length > 1) {
        if (pending.length < MAX_JOIN_PROBLEMS * 2)
          pending.push({
            severity: 'warning',
            code: 'join-ambiguous',
            path: [it.index, 'query'],
            message:
              `item ${it.index}: ${refs.length} annotation queries match this (video, query) pair ` +
              `(${refs.map((r) => `${r.file.path} entry ${r.entry.index}`).join('; ')}); the join is ambiguous`,
          });
      }
    }
    if (missing > MAX_JOIN_PROBLEMS)
      pending.push({
        severity: 'info',
        code: 'join-missing',
        path: [],
        message: `${missing} items in all have no matching annotation query (first ${MAX_JOIN_PROBLEMS} listed)`,
      });
    if (pending.length) out.set(f, pending);
  }
  return out;
}

/** The `rarft index --json` shape. */
export function toIndexJson(result: IndexResult): unknown {
  return {
    totals: result.totals,
    files: result.files.map((f) => ({
      path: f.path,
      kind: f.kind,
      videos: f.stats.videos,
      queries: f.stats.queries,
      answerable: f.stats.answerable,
      refusable: f.stats.refusable,
      byDifficulty: f.stats.byDifficulty,
      byCategory: f.stats.byCategory,
    })),
    problems: result.problems.map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      severity: p.severity,
      code: p.code,
      message: p.message,
    })),
    skipped: result.skipped,
  };
}
