/**
 * Judgments an evaluation read from its input (an earlier `metrics_items.json`) instead of asking
 * its own judge, counted by step, and which judge made them when our metrics.json beside the input
 * says so (its `evaluation.items_file` names this file).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isObject } from '../json/values';
import type { ItemJudgment } from './evaluate';
import { JudgmentStore } from './judgmentStore';

/** Reused judgments: items with any, counts by step, and the judge that made them if known. */
export interface ReusedJudgments {
  items: number;
  by_step: Record<string, number>;
  /** e.g. "llm (gpt-4o-mini)", from a metrics.json of ours that wrote the input; null when unknown. */
  judge: string | null;
}

/**
 * Counts the reused judgments of a run over `input` (its path, when read from a file); `writer`
 * is `judgeThatWrote(input)` when the caller started it earlier (it reads the folder meanwhile).
 */
export async function reusedJudgments(
  judgments: readonly ItemJudgment[] | JudgmentStore | ReusedCounts,
  input?: string,
  writer?: Promise<string | null>,
): Promise<ReusedJudgments> {
  const { items, by_step } = 'by_step' in judgments ? judgments : countReused(judgments);
  return { items, by_step, judge: items && input ? await (writer ?? judgeThatWrote(input)) : null };
}

/** Reused judgments counted: items with any, and by step. */
export type ReusedCounts = Omit<ReusedJudgments, 'judge'>;

/** Counts the reused judgments (of a part of a run: `addReused` adds two parts' counts). */
export function countReused(judgments: readonly ItemJudgment[] | JudgmentStore): ReusedCounts {
  const byStep: Record<string, number> = {};
  let items = 0;
  const store = judgments instanceof JudgmentStore ? judgments : undefined;
  for (let i = 0; i < judgments.length; i++) {
    const steps = store ? store.reusedAt(i) : (judgments as readonly ItemJudgment[])[i].reused;
    if (!steps?.length) continue;
    items++;
    for (let k = 0; k < steps.length; k++) byStep[steps[k]] = (byStep[steps[k]] ?? 0) + 1;
  }
  return { items, by_step: byStep };
}

/** Two parts' counts as one. */
export function addReused(a: ReusedCounts, b: ReusedCounts): ReusedCounts {
  const by_step = { ...a.by_step };
  for (const [step, n] of Object.entries(b.by_step)) by_step[step] = (by_step[step] ?? 0) + n;
  return { items: a.items + b.items, by_step };
}

/** The judge recorded by a metrics file beside `itemsPath` whose items file is `itemsPath` (null when none; never rejects). */
export async function judgeThatWrote(itemsPath: string): Promise<string | null> {
  const target = resolve(itemsPath);
  let names: string[];
  try {
    names = (await readdir(dirname(target))).filter((n) => n.toLowerCase().endsWith('.json'));
  } catch {
    return null;
  }
  for (const name of names.slice(0, 200)) {
    try {
      const path = join(dirname(target), name);
      if (path === target || (await stat(path)).size > 2_000_000) continue; // metrics files are small
      const text = await readFile(path, 'utf8');
      const ev = (JSON.parse(text) as { evaluation?: unknown }).evaluation;
      if (!isObject(ev) || !isObject(ev.items_file) || ev.items_file.path !== target) continue;
      const model = typeof ev.judge_model === 'string' && ev.judge_model ? ` (${ev.judge_model})` : '';
      return typeof ev.judge === 'string' ? `${ev.judge}${model}` : null;
    } catch {}
  }
  return null;
}
