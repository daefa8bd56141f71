/** Usage and cost accounting of the LLM judge, per step. */
import type { JudgeStep } from './prompts';

/** Price in US dollars per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/** Counters of one step. */
export interface StepUsage {
  /** Judgments asked of this step (before cache and de-duplication). */
  calls: number;
  /** HTTP requests sent (first attempts and retries). */
  requests: number;
  retries: number;
  /** Time spent waiting before retries (ms): Retry-After and backoff. */
  retry_wait_ms: number;
  /** Answered from the on-disk cache. */
  cache_hits: number;
  /** Shared with an identical judgment of the same run. */
  shared: number;
  /** Judgments that ended in an error. */
  errors: number;
  malformed_replies: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** Tokens the cache hits had cost when first asked (not paid again). */
  cached_prompt_tokens: number;
  cached_completion_tokens: number;
  /** Step 2: labels outside the taxonomy dropped. Step 3: scores clipped to 0–5. */
  labels_dropped?: number;
  scores_clipped?: number;
}

const emptyStep = (): StepUsage => ({
  calls: 0,
  requests: 0,
  retries: 0,
  retry_wait_ms: 0,
  cache_hits: 0,
  shared: 0,
  errors: 0,
  malformed_replies: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  cached_prompt_tokens: 0,
  cached_completion_tokens: 0,
});

/** Usage of a whole run. */
export class JudgeUsage {
  readonly steps: Record<JudgeStep, StepUsage> = {
    relevance: emptyStep(),
    categories: { ...emptyStep(), labels_dropped: 0 },
    reasoning: { ...emptyStep(), scores_clipped: 0 },
  };

  constructor(readonly price?: Price) {}

  /** Total of one counter over the steps. */
  total(k: keyof StepUsage): number {
    return Object.values(this.steps).reduce((s, u) => s + (u[k] ?? 0), 0);
  }

  /** Dollars paid for the tokens of this run; undefined without a price. */
  cost(): number | undefined {
    if (!this.price) return undefined;
    return (this.total('prompt_tokens') * this.price.input + this.total('completion_tokens') * this.price.output) / 1e6;
  }

  /** Dollars the cache hits saved; undefined without a price. */
  savedCost(): number | undefined {
    if (!this.price) return undefined;
    return (
      (this.total('cached_prompt_tokens') * this.price.input +
        this.total('cached_completion_tokens') * this.price.output) /
      1e6
    );
  }

  /** Plain data for metrics.json. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      steps: this.steps,
      requests: this.total('requests'),
      cache_hits: this.total('cache_hits'),
    };
    const cost = this.cost();
    if (cost !== undefined) {
      out.price_usd_per_million_tokens = this.price;
      out.cost_usd = cost;
      out.saved_by_cache_usd = this.savedCost();
    }
    return out;
  }
}
