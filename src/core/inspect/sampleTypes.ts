/** The inspector's data shapes (pure types: the webview bundle type-checks against them). */
import type { Bucket } from '../buckets';
import type { Rewards } from '../rewards/rewards';
import type { ParsedOutput, Span } from '../text';

/**
 * Which sample, by identity (identity.ts): an annotation query or a run item of `file`, named by its
 * video and query text; `nth` tells apart repeats of the same (video, query) in the file (0: the first).
 */
export interface SampleRef {
  kind: 'query' | 'item';
  file: string;
  video: string;
  query: string;
  nth: number;
}

/** A note for people (`text`) with a stable `code` for code to act on. */
export interface JudgmentNote {
  code: 'not-computed' | 'judge-error';
  text: string;
}

/** One row of the "queries of this video" list. */
export interface QueryListItem {
  ref: SampleRef;
  query: string;
  answerable: boolean | null;
  /** Bucket of the prediction shown for it, when there is one. */
  bucket: Bucket | null;
  current: boolean;
}

/** What the judge decided, with where it came from. */
export interface JudgmentView {
  source: 'cached' | 'offline';
  predRelevant: boolean | null;
  correct: boolean | null;
  iou: number | null;
  predCategories: string[] | null;
  jaccard: number | null;
  reasoningScore: number | null;
  sbert: number | null;
  notes: JudgmentNote[];
}

/** Everything the inspector shows for one sample. */
export interface SampleView {
  ref: SampleRef;
  /** File the sample comes from (as indexed). */
  file: string;
  video: string;
  duration: number | null;
  query: string;
  answerable: boolean | null;
  difficulty: string | null;
  categories: string[];
  gtAnswer: string;
  gtSpan: Span | null;
  /** The model output shown, with the run file it comes from; null when no run has this query. */
  output: { text: string; file: string; parsed: ParsedOutput } | null;
  predSpan: Span | null;
  judgment: JudgmentView | null;
  bucket: Bucket | null;
  rewards: Rewards | null;
  queries: QueryListItem[];
  /** Both runs' predictions, when the sample was opened from a comparison (a flip cell). */
  compared?: ComparedRun[];
}

/** One run's prediction for a compared sample: which side, the run's name, its span and outcome. */
export interface ComparedRun {
  side: 'A' | 'B';
  label: string;
  span: Span | null;
  /** The sample's outcome in that run (hit, miss, correct_refusal, false_refusal, missed_refusal). */
  outcome: string | null;
}
