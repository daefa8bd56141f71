/**
 * The browsing index over indexed files: annotation queries and run items joined both ways,
 * run items judged (cached judgments first, the offline rule judge otherwise) and bucketed.
 */
import { bucketOf, type Bucket } from '../buckets';
import { buildJoinIndex, type IndexedFile, type QueryRef } from '../dataset/indexer';
import { joinKey, type RunItem } from '../dataset/model';
import { judgeItems, type ItemJudgment } from '../eval/evaluate';
import { offlineJudge } from '../eval/judge';

/** A run item with where it lives. */
export interface ItemRef {
  file: IndexedFile;
  /** Position in `file.items`. */
  position: number;
  item: RunItem;
}

/** What a run file's items were judged and bucketed as. */
export interface RunJudgments {
  judgments: ItemJudgment[];
  buckets: Bucket[];
  /** True when every item carried cached judgments (an evaluation file). */
  cached: boolean;
}

/** Annotations and runs joined by (video, query), both directions. */
export interface BrowseIndex {
  files: IndexedFile[];
  joins: Map<string, QueryRef[]>;
  itemsByKey: Map<string, ItemRef[]>;
  runs: Map<IndexedFile, RunJudgments>;
}

/** Builds the join maps; run judgments are added by `judgeRuns`. */
export function buildBrowseIndex(files: IndexedFile[]): BrowseIndex {
  const itemsByKey = new Map<string, ItemRef[]>();
  for (const f of files) {
    f.items?.forEach((item, position) => {
      const key = joinKey(item.video, item.query);
      const ref = { file: f, position, item };
      const list = itemsByKey.get(key);
      if (list) list.push(ref);
      else itemsByKey.set(key, [ref]);
    });
  }
  // The output shown for a query: a judged file first, then a whole run, then a GPU shard.
  const rank = (f: IndexedFile) => (f.kind === 'evaluation-items' ? 0 : f.kind === 'inference' ? 1 : 2);
  for (const list of itemsByKey.values()) if (list.length > 1) list.sort((a, b) => rank(a.file) - rank(b.file));
  return { files, joins: buildJoinIndex(files), itemsByKey, runs: new Map() };
}

/** Judges one run file's items (cached judgments reused) and buckets them. */
export async function judgeRun(
  file: IndexedFile,
  joins: Map<string, QueryRef[]>,
  signal?: AbortSignal,
): Promise<RunJudgments> {
  const items = file.items ?? [];
  const judgments: ItemJudgment[] = [];
  // Chunks with a turn of the event loop between them keep a 20,000-item run from holding the host.
  for (let from = 0; from < items.length; from += CHUNK) {
    if (from) await new Promise<void>((r) => setImmediate(r));
    judgments.push(...(await judgeChunk(items, from, Math.min(items.length, from + CHUNK), joins, signal)));
  }
  const buckets = judgments.map((j, i) => bucketOf(items[i].modelOutput, j));
  const cached = items.length > 0 && items.every((it) => typeof it.raw.classification_correct === 'boolean');
  return { judgments, buckets, cached };
}

const CHUNK = 2000;

function judgeChunk(
  items: RunItem[],
  from: number,
  to: number,
  joins: Map<string, QueryRef[]>,
  signal?: AbortSignal,
): Promise<ItemJudgment[]> {
  return judgeItems(
    items.slice(from, to).map((it) => it.raw),
    {
      judge: offlineJudge,
      signal,
      concurrency: 256,
      levelOf: (_raw, i) => {
        const it = items[from + i];
        const ref = joins.get(joinKey(it.video, it.query))?.[0];
        return ref?.entry.queries[ref.queryIndex]?.level;
      },
    },
  );
}

/** Judges every run file of the index that is not judged yet. */
export async function judgeRuns(index: BrowseIndex, signal?: AbortSignal): Promise<void> {
  for (const f of index.files) {
    if (!f.items || index.runs.has(f)) continue;
    signal?.throwIfAborted();
    index.runs.set(f, await judgeRun(f, index.joins, signal));
  }
}
