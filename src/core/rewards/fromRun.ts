/**
 * Reward inputs for inference-style items (video, query, model_output), joined to their
 * annotation query by (video, query). The contrast answer is the first query of the opposite
 * kind in the same annotation entry; the answerable query (for the correction reward) is that
 * entry's first answerable query; duration and GT span come from the entry.
 */
import { buildJoinIndex, type IndexedFile } from '../dataset/indexer';
import { joinKey, type VideoEntry } from '../dataset/model';
import type { RewardInput, TaskType } from './rewards';

/** One item's join result: an input to score, or why it has none. */
export interface JoinedItem {
  video: string;
  query: string;
  completion: string;
  taskType: TaskType | null;
  input: RewardInput | null;
  /** Why the item could not be joined (missing, ambiguous, unreadable). */
  notes: string[];
}

/**
 * The reward input of a completion for query `queryIndex` of an annotation entry: the GT span and
 * duration from the entry, the contrast answer from the entry's first query of the opposite kind,
 * the answerable query from its first answerable query. Null when the query's kind is unknown.
 */
export function rewardInputFor(entry: VideoEntry, queryIndex: number, completion: string): RewardInput | null {
  const q = entry.queries[queryIndex];
  if (!q || q.r === null) return null;
  const contrast = entry.queries.find((o) => o.r === !q.r);
  const answerable = entry.queries.find((o) => o.r === true);
  return {
    completion,
    taskType: q.r ? 'answerable' : 'refusable',
    solution: q.r ? entry.timestamp : null,
    duration: entry.duration,
    gtAnswer: q.a || null,
    // '' (an empty GT answer) is kept apart from null (no such query) for the note.
    contrastAnswer: contrast ? (contrast.a ?? '') : null,
    answerableQuery: answerable ? answerable.q || null : null,
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Joins each item to exactly one annotation query; missing and ambiguous joins are reported, never guessed. */
export function joinItems(items: readonly Record<string, unknown>[], annotationFiles: IndexedFile[]): JoinedItem[] {
  const index = buildJoinIndex(annotationFiles);
  return items.map((it, i) => {
    const video = str(it.video);
    const query = str(it.query);
    const completion = str(it.model_output);
    const base: JoinedItem = { video, query, completion, taskType: null, input: null, notes: [] };
    if (typeof it.model_output !== 'string')
      base.notes.push(`item ${i}: no model_output string; scored as an empty completion`);
    const refs = index.get(joinKey(video, query)) ?? [];
    if (refs.length === 0) {
      base.notes.push(`item ${i}: no annotation query matches this (video, query) pair`);
      return base;
    }
    if (refs.length > 1) {
      base.notes.push(
        `item ${i}: ${refs.length} annotation queries match this (video, query) pair ` +
          `(${refs.map((r) => `${r.file.path} entry ${r.entry.index}`).join('; ')}); the join is ambiguous`,
      );
      return base;
    }
    const { entry, queryIndex } = refs[0];
    const input = rewardInputFor(entry, queryIndex, completion);
    if (!input) {
      base.notes.push(
        `item ${i}: the annotation query's "r" is unreadable, so its kind (answerable/refusable) is unknown`,
      );
      return base;
    }
    return { ...base, taskType: input.taskType, input };
  });
}
