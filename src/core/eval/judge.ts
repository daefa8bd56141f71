/**
 * The judge: the three questions the evaluation asks of a model output (FORMATS.md §4).
 * The offline rule judge lives here; the LLM judge implements the same interface.
 */
import { categoryTags, firstTimestamp, type Span } from '../text';

/** Step 1's answer: predicted relevance and one top span. */
export interface RelevanceVerdict {
  classification: 'relevant' | 'irrelevant';
  span: Span | null;
}

/** What a judge step returns: a value, a recorded error, or "this judge does not do that". */
export type Verdict<T> =
  | { status: 'ok'; value: T; note?: string }
  | { status: 'error'; error: string }
  | { status: 'skipped'; reason: string };

/** Input of step 1. The LLM judge sends only `answerText`. */
export interface RelevanceInput {
  answerText: string;
  /** The whole model output (for rules that need it). */
  output: string;
}

/** Input of step 2. The LLM judge sends only `reasoningText`. */
export interface CategoriesInput {
  reasoningText: string;
  output: string;
}

/** Input of step 3. */
export interface ReasoningInput {
  reasoningText: string;
  gtText: string;
}

/** A judge of model outputs. Implementations may be asynchronous (LLM) or not (rules). */
export interface Judge {
  /** Short name recorded in metrics (`offline`, `llm:gpt-4o-mini`, …). */
  readonly name: string;
  /**
   * Answers every step synchronously and asks no one (no request, no cache): the evaluation may
   * then judge an item in its validation pass, before it knows whether the run is valid.
   */
  readonly local?: boolean;
  /** Step 1: relevance and span, from the answer text only. */
  relevance(
    input: RelevanceInput,
    signal?: AbortSignal,
  ): Verdict<RelevanceVerdict> | Promise<Verdict<RelevanceVerdict>>;
  /** Step 2: mismatch categories named by the reasoning text (predicted-irrelevant items). */
  categories(input: CategoriesInput, signal?: AbortSignal): Verdict<string[]> | Promise<Verdict<string[]>>;
  /** Step 3: reasoning score 0–5 of the reasoning text against the GT text. */
  reasoning(input: ReasoningInput, signal?: AbortSignal): Verdict<number> | Promise<Verdict<number>>;
}

/** The note of a step answered by default, not judged (its figures count as not computed). */
export const UNJUDGED = 'unjudged';

/** Step 1 by rule: relevant with span [X, Y] when the answer text holds `X to Y`. */
export function ruleRelevance(answerText: string): RelevanceVerdict {
  const span = firstTimestamp(answerText);
  return span ? { classification: 'relevant', span } : { classification: 'irrelevant', span: null };
}

/**
 * The offline rule judge: step 1 by rule; step 2 from explicit category tags in the output
 * only (none in ordinary outputs, so RT-IoU reads 0 as the reference's offline run does);
 * step 3 is not computed.
 */
export const offlineJudge: Judge = {
  name: 'offline',
  local: true,
  relevance({ answerText }) {
    return { status: 'ok', value: ruleRelevance(answerText) };
  },
  categories({ output }) {
    const tags = categoryTags(output);
    // No tags: [] keeps the reference's offline RT-IoU of 0, but no judgment is behind it.
    return tags.length ? { status: 'ok', value: tags } : { status: 'ok', value: [], note: UNJUDGED };
  },
  reasoning() {
    return { status: 'skipped', reason: 'the offline judge does not score reasoning (use --judge llm)' };
  },
};
