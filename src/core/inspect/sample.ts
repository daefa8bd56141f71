/**
 * The sample inspector's view of one query or run item: GT, prediction, spans, judgments and
 * rewards, plus the other queries of the same video. Plain data, sent as is to the webview.
 */
import type { IndexedFile } from '../dataset/indexer';
import { joinKey, type QueryRecord, type VideoEntry } from '../dataset/model';
import type { ItemJudgment } from '../eval/evaluate';
import { ruleRelevance } from '../eval/judge';
import { rewardInputFor } from '../rewards/fromRun';
import { scoreCompletion, type RewardInput, type Rewards } from '../rewards/rewards';
import { answerText, firstTimestamp, parseOutput, type Span } from '../text';
import { fileByPath, itemRef, queryRef, resolveItem, resolveQuery } from './identity';
import type { BrowseIndex, ItemRef } from './runIndex';
import type { JudgmentView, QueryListItem, SampleRef, SampleView } from './sampleTypes';

/** Builds the view of a sample; null when the reference no longer names anything in the index. */
export function buildSampleView(index: BrowseIndex, ref: SampleRef): SampleView | null {
  const file = fileByPath(index, ref.file);
  if (!file) return null;
  if (ref.kind === 'query') {
    const hit = resolveQuery(index, ref);
    if (!hit) return null;
    const item = index.itemsByKey.get(joinKey(hit.entry.video, hit.q.q))?.[0] ?? null;
    return compose(index, ref, file, hit.entry, hit.q, item);
  }
  const itemHit = resolveItem(index, ref);
  if (!itemHit) return null;
  const join = joinOf(index, itemHit);
  return compose(index, ref, file, join?.entry ?? null, join?.q ?? null, itemHit);
}

/** The annotation query a run item is joined to (the first of several). */
function joinOf(index: BrowseIndex, ref: ItemRef): { entry: VideoEntry; q: QueryRecord } | null {
  const join = index.joins.get(joinKey(ref.item.video, ref.item.query))?.[0];
  return join ? { entry: join.entry, q: join.entry.queries[join.queryIndex] } : null;
}

function compose(
  index: BrowseIndex,
  ref: SampleRef,
  file: IndexedFile,
  entry: VideoEntry | null,
  q: QueryRecord | null,
  shownItem: ItemRef | null,
): SampleView {
  const item = shownItem?.item ?? null;
  // An annotation query shows its file's GT (what an edit changes); a run item the GT it was judged on.
  const own = ref.kind === 'query';
  const answerable = item && !(own && q) ? item.gtRelevant : (q?.r ?? null);
  const gtAnswer = q?.a ?? item?.gtOutput ?? '';
  const gtSpan: Span | null = answerable
    ? ((own ? entry?.timestamp : item?.gtTimestamp) ??
      item?.gtTimestamp ??
      entry?.timestamp ??
      firstTimestamp(answerText(gtAnswer)))
    : null;
  const run = shownItem ? index.runs.get(shownItem.file) : undefined;
  const j = shownItem && run ? run.judgments[shownItem.position] : undefined;
  const output = item
    ? { text: item.modelOutput, file: shownItem!.file.path, parsed: parseOutput(item.modelOutput) }
    : null;
  const predSpan =
    item && (j?.predRelevant ?? true) ? (j?.predSpan ?? ruleRelevance(answerText(item.modelOutput)).span) : null;
  const video = entry?.video ?? item?.video ?? '';
  return {
    ref,
    file: file.path,
    video,
    duration: entry?.duration ?? null,
    query: q?.q ?? item?.query ?? '',
    answerable,
    difficulty: q?.difficulty ?? item?.level ?? null,
    categories: q?.categories ?? item?.gtCategories ?? [],
    gtAnswer,
    gtSpan,
    output,
    predSpan,
    judgment: j && shownItem ? judgmentView(j, shownItem) : null,
    bucket: run && shownItem ? run.buckets[shownItem.position] : null,
    rewards: item ? rewardsOf(item.modelOutput, answerable, gtSpan, entry, q, gtAnswer) : null,
    queries:
      ref.kind === 'query'
        ? annotationSiblings(index, file, video, entry, q)
        : runSiblings(index, file, video, shownItem),
  };
}

function judgmentView(j: ItemJudgment, ref: ItemRef): JudgmentView {
  const cached = typeof ref.item.raw.classification_correct === 'boolean';
  return {
    source: cached ? 'cached' : 'offline',
    predRelevant: j.predRelevant,
    correct: j.predRelevant === null ? null : j.predRelevant === j.gtRelevant,
    iou: j.iou,
    predCategories: j.predCategories,
    jaccard: j.jaccard,
    reasoningScore: j.reasoningScore,
    sbert: j.sbert,
    notes: [
      ...j.notComputed.map((text) => ({ code: 'not-computed' as const, text })),
      ...j.errors.map((e) => ({ code: 'judge-error' as const, text: `${e.step}: ${e.error}` })),
    ],
  };
}

function rewardsOf(
  completion: string,
  answerable: boolean | null,
  gtSpan: Span | null,
  entry: VideoEntry | null,
  q: QueryRecord | null,
  gtAnswer: string,
): Rewards {
  // No embedder here: explain/correction that need one come back null with the "needs a sentence model" note.
  return scoreCompletion(rewardInputOf(completion, answerable, gtSpan, entry, q, gtAnswer), null);
}

function rewardInputOf(
  completion: string,
  answerable: boolean | null,
  gtSpan: Span | null,
  entry: VideoEntry | null,
  q: QueryRecord | null,
  gtAnswer: string,
): RewardInput {
  // With a joined annotation query, core's rewardInputFor picks the contrast answer and the answerable query.
  const k = entry && q ? entry.queries.indexOf(q) : -1;
  const joined = entry && k >= 0 ? rewardInputFor(entry, k, completion) : null;
  if (joined) return joined;
  // No annotation for this item: only what the item itself carries.
  return {
    completion,
    taskType: answerable ? 'answerable' : 'refusable',
    solution: gtSpan,
    duration: null,
    gtAnswer: gtAnswer || null,
    contrastAnswer: null,
    answerableQuery: null,
  };
}

/** The rewards engine's input for a sample's shown output (for scoring with a sentence model); null without an output. */
export function sampleRewardInput(index: BrowseIndex, ref: SampleRef): RewardInput | null {
  const view = buildSampleView(index, ref);
  if (!view?.output) return null;
  const joined =
    ref.kind === 'query'
      ? resolveQuery(index, ref)
      : (() => {
          const hit = resolveItem(index, ref);
          return hit ? joinOf(index, hit) : null;
        })();
  return rewardInputOf(
    view.output.text,
    view.answerable,
    view.gtSpan,
    joined?.entry ?? null,
    joined?.q ?? null,
    view.gtAnswer,
  );
}

const MAX_SIBLINGS = 200;

function annotationSiblings(
  index: BrowseIndex,
  file: IndexedFile,
  video: string,
  shown: VideoEntry | null,
  shownQuery: QueryRecord | null,
): QueryListItem[] {
  const out: QueryListItem[] = [];
  for (const e of file.entries ?? []) {
    if (e.video !== video) continue;
    e.queries.forEach((q, k) => {
      if (out.length >= MAX_SIBLINGS) return;
      const item = index.itemsByKey.get(joinKey(video, q.q))?.[0];
      const bucket = item ? (index.runs.get(item.file)?.buckets[item.position] ?? null) : null;
      out.push({
        ref: queryRef(index, file, e, k),
        query: q.q,
        answerable: q.r,
        bucket,
        current: e === shown && q === shownQuery,
      });
    });
  }
  return out;
}

function runSiblings(index: BrowseIndex, file: IndexedFile, video: string, shown: ItemRef | null): QueryListItem[] {
  const out: QueryListItem[] = [];
  const run = index.runs.get(file);
  (file.items ?? []).forEach((it, pos) => {
    if (it.video !== video || out.length >= MAX_SIBLINGS) return;
    out.push({
      ref: itemRef(index, file, pos),
      query: it.query,
      answerable: it.gtRelevant,
      bucket: run?.buckets[pos] ?? null,
      current: shown?.file === file && pos === shown.position,
    });
  });
  return out;
}
