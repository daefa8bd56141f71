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
import type { BrowseIndex, ItemRef } from './runIndex';
import type { JudgmentView, QueryListItem, SampleRef, SampleView } from './sampleTypes';

export type { SampleRef, SampleView };

/** Finds a file of the index by its path. */
export function fileByPath(index: BrowseIndex, path: string): IndexedFile | undefined {
  return index.files.find((f) => f.path === path);
}

/** Builds the view of a sample; null when the reference no longer points at anything. */
export function buildSampleView(index: BrowseIndex, ref: SampleRef): SampleView | null {
  const file = fileByPath(index, ref.file);
  if (!file) return null;
  if (ref.kind === 'query') {
    const entry = file.entries?.[ref.entry];
    const q = entry?.queries[ref.query];
    if (!entry || !q) return null;
    const item = index.itemsByKey.get(joinKey(entry.video, q.q))?.[0] ?? null;
    return compose(index, ref, file, entry, q, item);
  }
  const item = file.items?.[ref.item];
  if (!item) return null;
  const join = index.joins.get(joinKey(item.video, item.query))?.[0];
  const entry = join?.entry ?? null;
  const q = join ? join.entry.queries[join.queryIndex] : null;
  return compose(index, ref, file, entry, q, { file, position: ref.item, item });
}

function compose(
  index: BrowseIndex,
  ref: SampleRef,
  file: IndexedFile,
  entry: VideoEntry | null,
  q: QueryRecord | null,
  itemRef: ItemRef | null,
): SampleView {
  const item = itemRef?.item ?? null;
  const answerable = item ? item.gtRelevant : (q?.r ?? null);
  const gtAnswer = q?.a ?? item?.gtOutput ?? '';
  const gtSpan: Span | null = answerable
    ? (item?.gtTimestamp ?? entry?.timestamp ?? firstTimestamp(answerText(gtAnswer)))
    : null;
  const run = itemRef ? index.runs.get(itemRef.file) : undefined;
  const j = itemRef && run ? run.judgments[itemRef.position] : undefined;
  const output = item
    ? { text: item.modelOutput, file: itemRef!.file.path, parsed: parseOutput(item.modelOutput) }
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
    judgment: j && itemRef ? judgmentView(j, itemRef) : null,
    bucket: run && itemRef ? run.buckets[itemRef.position] : null,
    rewards: item ? rewardsOf(item.modelOutput, answerable, gtSpan, entry, q, gtAnswer) : null,
    queries: ref.kind === 'query' ? annotationSiblings(index, file, video, ref) : runSiblings(index, file, video, ref),
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
    notes: [...j.notComputed, ...j.errors.map((e) => `${e.step}: ${e.error}`)],
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
  const file = fileByPath(index, ref.file);
  let entry: VideoEntry | null = null;
  let q: QueryRecord | null = null;
  if (ref.kind === 'query') {
    entry = file?.entries?.[ref.entry] ?? null;
    q = entry?.queries[ref.query] ?? null;
  } else {
    const item = file?.items?.[ref.item];
    const join = item ? index.joins.get(joinKey(item.video, item.query))?.[0] : undefined;
    entry = join?.entry ?? null;
    q = join ? join.entry.queries[join.queryIndex] : null;
  }
  return rewardInputOf(view.output.text, view.answerable, view.gtSpan, entry, q, view.gtAnswer);
}

const MAX_SIBLINGS = 200;

function annotationSiblings(
  index: BrowseIndex,
  file: IndexedFile,
  video: string,
  ref: SampleRef & { kind: 'query' },
): QueryListItem[] {
  const out: QueryListItem[] = [];
  (file.entries ?? []).forEach((e, position) => {
    if (e.video !== video) return;
    e.queries.forEach((q, k) => {
      if (out.length >= MAX_SIBLINGS) return;
      const item = index.itemsByKey.get(joinKey(video, q.q))?.[0];
      const bucket = item ? (index.runs.get(item.file)?.buckets[item.position] ?? null) : null;
      out.push({
        ref: { kind: 'query', file: file.path, entry: position, query: k },
        query: q.q,
        answerable: q.r,
        bucket,
        current: position === ref.entry && k === ref.query,
      });
    });
  });
  return out;
}

function runSiblings(
  index: BrowseIndex,
  file: IndexedFile,
  video: string,
  ref: SampleRef & { kind: 'item' },
): QueryListItem[] {
  const out: QueryListItem[] = [];
  const run = index.runs.get(file);
  (file.items ?? []).forEach((it, pos) => {
    if (it.video !== video || out.length >= MAX_SIBLINGS) return;
    out.push({
      ref: { kind: 'item', file: file.path, item: pos },
      query: it.query,
      answerable: it.gtRelevant,
      bucket: run?.buckets[pos] ?? null,
      current: pos === ref.item,
    });
  });
  return out;
}
