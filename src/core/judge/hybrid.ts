/**
 * The hybrid judge: step 1 by the rule when the answer text is nothing but one `X to Y`
 * timestamp (the canonical answerable output, where rule and LLM cannot disagree), by the
 * LLM otherwise; steps 2–3 always by the LLM.
 */
import {
  ruleRelevance,
  type CategoriesInput,
  type Judge,
  type ReasoningInput,
  type RelevanceInput,
} from '../eval/judge';
import { isOnlyTimestamp } from '../text';
import type { LlmJudge } from './llmJudge';
import type { StatusSource } from './supervisor';
import type { JudgeStatus } from './watch';

/** True when the (trimmed) answer text is exactly one `X to Y` timestamp. */
export function isCanonicalAnswer(answerText: string): boolean {
  return isOnlyTimestamp(answerText);
}

/** Hybrid judge over an LLM judge; `saved()` counts step-1 calls the rule answered. */
export class HybridJudge implements Judge, StatusSource {
  readonly name: string;
  private ruleCalls = 0;
  private readonly ruleTexts = new Set<string>();

  constructor(readonly llm: LlmJudge) {
    this.name = `hybrid:${llm.options.model}`;
  }

  relevance(input: RelevanceInput, signal?: AbortSignal) {
    if (isCanonicalAnswer(input.answerText)) {
      this.ruleCalls++;
      this.ruleTexts.add(input.answerText.trim());
      return { status: 'ok' as const, value: ruleRelevance(input.answerText) };
    }
    return this.llm.relevance(input, signal);
  }

  categories(input: CategoriesInput, signal?: AbortSignal) {
    return this.llm.categories(input, signal);
  }

  reasoning(input: ReasoningInput, signal?: AbortSignal) {
    return this.llm.reasoning(input, signal);
  }

  /**
   * Step-1 judgments the rule decided, and the requests that saves against `--judge llm`
   * on a cold cache (identical answer texts share one request there).
   */
  saved(): { rule_decided: number; requests_saved: number } {
    return { rule_decided: this.ruleCalls, requests_saved: this.ruleTexts.size };
  }

  status(): JudgeStatus {
    return this.llm.status();
  }

  onStatus(fn: (s: JudgeStatus) => void): () => void {
    return this.llm.onStatus(fn);
  }

  /** Run facts for metrics.evaluation. */
  info(): Record<string, unknown> {
    return { ...this.llm.info(), judge_hybrid: this.saved() };
  }
}
