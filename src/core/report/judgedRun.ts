/**
 * A run read for the dashboard, `compare` or `report`: judged through the one judging path
 * (`judgeItems`, as `evaluate` judges: judgments cached in the items used as they are), with its
 * provenance: the run file's sha256, the judge, and the annotation files with their sha256.
 */
import { webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { provenanceFromMetrics, type RunProvenance } from '../compare/provenance';
import { judgeItems, type JudgeItemsOptions } from '../eval/evaluate';
import type { JudgedRun } from './build';
import { metricsBeside } from './runFiles';

/**
 * The sha256 of a file's bytes, in hex (what `sha256sum` prints). Read and hashed on libuv's
 * thread pool (WebCrypto's digest), so it runs beside judging instead of before it.
 */
export async function fileSha256(path: string): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', await readFile(path));
  return Buffer.from(digest).toString('hex');
}

/** An annotation file of a run's provenance. */
export interface AnnotationFileRef {
  path: string;
  sha256?: string;
}

/**
 * The annotation files a run was made on: those its `metrics.json` records (paths relative to
 * the run's folder) and those the caller names, once each (by resolved path), each with its
 * sha256: the recorded one, else hashed now when the file is there (else left without).
 */
export async function annotationFilesOf(
  recorded: readonly AnnotationFileRef[],
  named: readonly string[],
  runDir: string,
): Promise<AnnotationFileRef[]> {
  const out: AnnotationFileRef[] = [];
  const seen = new Map<string, AnnotationFileRef>();
  const add = async (ref: AnnotationFileRef, full: string) => {
    const known = seen.get(full);
    if (known) {
      known.sha256 ??= ref.sha256;
      return;
    }
    const entry = { ...ref };
    if (!entry.sha256 && existsSync(full)) entry.sha256 = await fileSha256(full);
    seen.set(full, entry);
    out.push(entry);
  };
  for (const r of recorded) await add(r, isAbsolute(r.path) ? r.path : resolve(runDir, r.path));
  for (const p of named) await add({ path: p }, resolve(p));
  return out;
}

/** Options of `judgeRun`: how to judge (as `judgeItems`) and what to record. */
export interface JudgeRunOptions extends Omit<JudgeItemsOptions, 'levelOf'> {
  /** Annotation files the run was made on, named by the caller (`--anno`, the workspace's joins). */
  annotationFiles?: readonly string[];
}

/** A judged run with the `metrics.json` found beside it. */
export interface LoadedRun extends JudgedRun {
  path: string;
  metrics?: Record<string, unknown>;
}

/** Judges the items of the run file `path` and records where the run and its judgments came from. */
export async function judgeRun(
  path: string,
  items: Record<string, unknown>[],
  opts: JudgeRunOptions,
): Promise<LoadedRun> {
  const hashing = fileSha256(path);
  hashing.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const judgments = await judgeItems(items, opts);
  const metrics = metricsBeside(path);
  const fromMetrics = provenanceFromMetrics(metrics);
  const judgedHere = items.some((it) => typeof it.classification_correct !== 'boolean');
  const provenance: RunProvenance = {
    ...fromMetrics,
    path,
    items: items.length,
    judge: fromMetrics.judge ?? (judgedHere ? opts.judge.name : undefined),
    sha256: await hashing,
    annotationFiles: await annotationFilesOf(
      fromMetrics.annotationFiles ?? [],
      opts.annotationFiles ?? [],
      dirname(path),
    ),
  };
  return { path, items, judgments, provenance, metrics };
}
