/**
 * The RA-RFT training rewards per completion (FORMATS.md §5), as the authors' trainer
 * computes them, except that what cannot be computed is null with a note instead of 0 or a crash.
 */
import { cosine, NO_MODEL_HINT, type Embedder, type Vector } from '../embed/embedder';
import { temporalIou } from '../eval/measures';
import { isWellFormatted, lastAnswer, lastCorrection, rewardTimestamp, type Span } from '../text';

/** Answerable (relevant) or refusable (hard-irrelevant). */
export type TaskType = 'answerable' | 'refusable';

/** What one completion is scored against. */
export interface RewardInput {
  completion: string;
  taskType: TaskType;
  /** GT span of an answerable query. */
  solution: Span | null;
  /** Video duration in seconds; needed for an answerable completion with a timestamp. */
  duration: number | null;
  /** The query's own GT answer (`<answer>…</answer>…`). */
  gtAnswer: string | null;
  /** The GT answer of a query of the opposite kind from the same video. */
  contrastAnswer: string | null;
  /** An answerable query of the same video (used by the correction reward of refusable items). */
  answerableQuery: string | null;
}

/** Why a reward is null: stable codes (the note's text is for people). */
export type RewardNoteCode =
  | 'no-gt-span'
  | 'no-duration'
  | 'no-gt-answer'
  | 'gt-answer-untagged'
  | 'no-contrast-query'
  | 'contrast-answer-untagged'
  | 'contrast-answer-empty'
  | 'needs-sentence-model';

/** Why one reward is not computable: which reward, a stable code, and the text for people. */
export interface RewardNote {
  reward: 'refuse_iou' | 'explain' | 'correction';
  code: RewardNoteCode;
  /** e.g. "explain: not computable, no GT answer" (what the CLI writes in `notes`). */
  text: string;
}

function note(reward: RewardNote['reward'], code: RewardNoteCode, why: string): RewardNote {
  return { reward, code, text: `${reward}: ${why}` };
}

/** The rewards of one completion; null = not computable (see `notes`). */
export interface Rewards {
  format: number;
  refuse_iou: number | null;
  explain: number | null;
  correction: number | null;
  explain_correction: number | null;
  /** format + refuse_iou + explain_correction; null when any of them is null. */
  total: number | null;
  notes: RewardNote[];
}

/** format: 1 when the trimmed completion is exactly think, answer, correction blocks. */
export function formatReward(completion: string): number {
  return isWellFormatted(completion) ? 1 : 0;
}

/**
 * refuse_iou: first `X to Y` in the last answer block. Answerable: IoU × (1 − |Δstart|/d) ×
 * (1 − |Δend|/d); refusable: 1 without a timestamp, 0 with one; 0 without an answer block.
 * Null (with a note) when an answerable completion has a timestamp but the duration or GT span is unknown.
 */
export function refuseIouReward(
  input: Pick<RewardInput, 'completion' | 'taskType' | 'solution' | 'duration'>,
  notes: RewardNote[] = [],
): number | null {
  const answer = lastAnswer(input.completion);
  if (answer === null) return 0;
  const ts = rewardTimestamp(answer);
  if (input.taskType === 'refusable') return ts ? 0 : 1;
  if (!ts) return 0;
  if (!input.solution) {
    notes.push(note('refuse_iou', 'no-gt-span', 'not computable, the answerable query has no GT span'));
    return null;
  }
  const d = input.duration;
  if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) {
    notes.push(note('refuse_iou', 'no-duration', 'not computable, the video duration is unknown'));
    return null;
  }
  const [gs, ge] = input.solution;
  // temporalIou equals the trainer's inter / (max(ends) − min(starts)) whenever the spans overlap, and both are 0 otherwise.
  const iou = temporalIou(ts, [gs, ge]);
  return iou * (1 - Math.abs(ts[0] - gs) / d) * (1 - Math.abs(ts[1] - ge) / d);
}

const sim01 = (a: Vector, b: Vector) => (cosine(a, b) + 1) / 2;

/** The texts the embedding-based rewards need for one input (deduplicated by the caller). */
export function textsToEmbed(input: RewardInput): string[] {
  const out: string[] = [];
  const pred = lastAnswer(input.completion);
  const gt = lastAnswer(input.gtAnswer);
  const contrast = lastAnswer(input.contrastAnswer);
  if (pred !== null && gt !== null && contrast !== null) out.push(pred, gt, contrast);
  if (input.taskType === 'refusable') {
    const corr = lastCorrection(input.completion);
    if (corr !== null && !corr.toUpperCase().includes('NIL') && input.answerableQuery)
      out.push(corr, input.answerableQuery);
  }
  return out;
}

type Lookup = ((text: string) => Vector) | null;

/** explain: (cos(pred, gt)+1)/2 − (cos(pred, contrast)+1)/2 over last-answer contents. */
export function explainReward(input: RewardInput, vec: Lookup, notes: RewardNote[] = []): number | null {
  // GT and contrast first: the reference fails on them even when the completion has no answer.
  const pred = lastAnswer(input.completion);
  const gt = lastAnswer(input.gtAnswer);
  const contrast = lastAnswer(input.contrastAnswer);
  if (gt === null) {
    notes.push(
      input.gtAnswer
        ? note('explain', 'gt-answer-untagged', 'not computable, the GT answer has no <answer> tags')
        : note('explain', 'no-gt-answer', 'not computable, no GT answer'),
    );
    return null;
  }
  if (contrast === null) {
    notes.push(
      input.contrastAnswer
        ? note('explain', 'contrast-answer-untagged', 'not computable, the contrast answer has no <answer> tags')
        : input.contrastAnswer === ''
          ? note(
              'explain',
              'contrast-answer-empty',
              "not computable, the contrast answer (the entry's first query of the opposite kind) is empty",
            )
          : note('explain', 'no-contrast-query', 'not computable, no query of the opposite kind for this video'),
    );
    return null;
  }
  if (pred === null) return 0;
  if (!vec) {
    notes.push(note('explain', 'needs-sentence-model', NO_MODEL_HINT));
    return null;
  }
  const p = vec(pred);
  return sim01(p, vec(gt)) - sim01(p, vec(contrast));
}

/**
 * correction: answerable → 1 when the last correction contains NIL (any case), else 0;
 * refusable → 0 when missing or NIL, else (cos(correction, answerable query)+1)/2.
 */
export function correctionReward(input: RewardInput, vec: Lookup, notes: RewardNote[] = []): number | null {
  const corr = lastCorrection(input.completion);
  const nil = corr?.toUpperCase().includes('NIL');
  if (input.taskType === 'answerable') return nil ? 1 : 0;
  if (corr === null || nil) return 0;
  if (!input.answerableQuery) return 0;
  if (!vec) {
    notes.push(note('correction', 'needs-sentence-model', NO_MODEL_HINT));
    return null;
  }
  return sim01(vec(corr), vec(input.answerableQuery));
}

/** All rewards of one completion, with the vectors already computed (`vec` null: no model). */
export function scoreCompletion(input: RewardInput, vec: Lookup): Rewards {
  const notes: RewardNote[] = [];
  const format = formatReward(input.completion);
  const refuse_iou = refuseIouReward(input, notes);
  const explain = explainReward(input, vec, notes);
  const correction = correctionReward(input, vec, notes);
  const explain_correction = explain === null || correction === null ? null : explain + correction;
  const total = refuse_iou === null || explain_correction === null ? null : format + refuse_iou + explain_correction;
  return { format, refuse_iou, explain, correction, explain_correction, total, notes };
}

/**
 * Scores many completions, embedding every distinct text they need in one call.
 * Without an embedder, what needs one is null with a note saying how to get a model.
 */
export async function computeRewards(
  inputs: readonly RewardInput[],
  embedder: Embedder | null,
  signal?: AbortSignal,
): Promise<Rewards[]> {
  let vec: Lookup = null;
  if (embedder) {
    const unique = [...new Set(inputs.flatMap(textsToEmbed))];
    const vectors = unique.length ? await embedder.embed(unique, signal) : [];
    const byText = new Map(unique.map((t, i) => [t, vectors[i]]));
    vec = (t) => {
      const v = byText.get(t);
      if (!v) throw new Error(`internal: text was not embedded: ${t.slice(0, 60)}`);
      return v;
    };
  }
  return inputs.map((x) => scoreCompletion(x, vec));
}
