/**
 * The GT a logged group is drawn against. A trainer log names the query but not the video, so
 * the join is by query text alone: it holds when every annotation query with that text agrees
 * on (video, span); several that disagree are reported as ambiguous, never guessed.
 */
import type { IndexedFile } from '../dataset/indexer';
import type { Span } from '../text';

/** What the annotations say about a query text. */
export interface QueryTruth {
  video: string;
  span: Span | null;
  duration: number | null;
  answerable: boolean | null;
}

/** The outcome of a join: the GT, or why there is none. */
export type TruthJoin = { truth: QueryTruth } | { note: string };

const norm = (q: string) => q.trim().replace(/\s+/g, ' ');

/** Query text → every annotation query with that text, over the annotation files. */
export function queryTextIndex(files: readonly IndexedFile[]): Map<string, QueryTruth[]> {
  const map = new Map<string, QueryTruth[]>();
  for (const f of files) {
    if (f.kind !== 'annotations') continue;
    for (const e of f.entries ?? [])
      for (const q of e.queries) {
        const key = norm(q.q);
        const t: QueryTruth = {
          video: e.video,
          span: q.r === true ? e.timestamp : null,
          duration: e.duration ?? (e.videoEnd !== null && e.videoStart !== null ? e.videoEnd - e.videoStart : null),
          answerable: q.r,
        };
        const list = map.get(key);
        if (list) list.push(t);
        else map.set(key, [t]);
      }
  }
  return map;
}

/** Joins a logged query text to its GT. */
export function joinQueryText(index: Map<string, QueryTruth[]>, query: string | null): TruthJoin {
  if (query === null || query.trim() === '') return { note: 'the log names no query for this group' };
  const found = index.get(norm(query));
  if (!found?.length) return { note: 'no annotation query in the workspace has this text' };
  const same = (a: QueryTruth, b: QueryTruth) =>
    a.video === b.video && a.answerable === b.answerable && a.span?.[0] === b.span?.[0] && a.span?.[1] === b.span?.[1];
  if (found.some((t) => !same(t, found[0])))
    return { note: `${found.length} annotation queries have this text with different videos or spans` };
  return { truth: found[0] };
}
