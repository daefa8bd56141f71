/**
 * The tokens and the cost an LLM evaluation is expected to take, from its request plan. An
 * estimate, not a count: prompt tokens from the prompts' length (about four characters a token
 * for English text, plus the framing of the messages), completion tokens from the size of a
 * typical reply of each step. The Evaluate Run… dialog and `rarft evaluate --dry-run` say it.
 */
import { CATEGORIES } from '../taxonomy';
import type { Price } from '../judge/usage';
import type { JudgePlan } from './judgePlan';

/** Characters per token assumed for the estimate. */
export const CHARS_PER_TOKEN = 4;

/** Tokens per request for the chat framing (role markers of the two messages). */
const FRAMING_TOKENS = 8;

/** A typical reply of each step (the strict JSON each schema asks for). */
const TYPICAL_REPLY = {
  relevance: '{"classification": "irrelevant", "span": [12.5, 20.0]}',
  categories: JSON.stringify({ categories: CATEGORIES.slice(0, 2) }),
  reasoning: '{"score": 4}',
} as const;

/** Estimated tokens. */
export interface TokenEstimate {
  prompt: number;
  completion: number;
}

/** Step 1's estimate (exact request count), and steps 2–3's (an upper bound on the requests). */
export interface JudgeEstimate {
  relevance: TokenEstimate;
  later: TokenEstimate;
  /** US dollars with a price: step 1, and at most all steps. */
  cost?: { relevance: number; atMost: number };
}

const tokens = (chars: number) => Math.ceil(chars / CHARS_PER_TOKEN);

function stepTokens(plan: JudgePlan, step: keyof typeof TYPICAL_REPLY): TokenEstimate {
  const n = plan[step].requests;
  return {
    prompt: tokens(plan.promptChars[step]) + n * FRAMING_TOKENS,
    completion: n * tokens(TYPICAL_REPLY[step].length),
  };
}

const dollars = (t: TokenEstimate, p: Price) => (t.prompt * p.input + t.completion * p.output) / 1e6;

/** Estimates the tokens (and, with a price in dollars per million tokens, the cost) of a plan. */
export function estimateJudgeCost(plan: JudgePlan, price?: Price): JudgeEstimate {
  const relevance = stepTokens(plan, 'relevance');
  const c = stepTokens(plan, 'categories');
  const r = stepTokens(plan, 'reasoning');
  const later = { prompt: c.prompt + r.prompt, completion: c.completion + r.completion };
  const out: JudgeEstimate = { relevance, later };
  if (price)
    out.cost = { relevance: dollars(relevance, price), atMost: dollars(relevance, price) + dollars(later, price) };
  return out;
}

const usd = (x: number) => `$${x < 0.01 && x > 0 ? x.toFixed(4) : x.toFixed(2)}`;
const int = (n: number) => n.toLocaleString('en-US');

/**
 * What an LLM evaluation will send, in one paragraph: requests per step (cache misses), the
 * estimated tokens and, with a price, the estimated cost.
 */
export function planMessage(plan: JudgePlan, o: { model: string; baseUrl: string; price?: Price }): string {
  const later = plan.categories.requests + plan.reasoning.requests;
  const e = estimateJudgeCost(plan, o.price);
  const lines = [
    `judging ${plan.items} items with ${o.model} at ${o.baseUrl} sends ${plan.relevance.requests} requests for relevance` +
      ` (${plan.relevance.cached} cached), and at most ${later} more for categories and reasoning (only for items judged irrelevant).`,
    `Estimated tokens (from the prompts' length, about ${CHARS_PER_TOKEN} characters a token): ` +
      `${int(e.relevance.prompt)} prompt + ${int(e.relevance.completion)} completion for relevance, ` +
      `at most ${int(e.later.prompt)} + ${int(e.later.completion)} more for the other steps.`,
  ];
  if (e.cost && o.price)
    lines.push(
      `Estimated cost at $${o.price.input} / $${o.price.output} per million prompt / completion tokens: ` +
        `${usd(e.cost.relevance)} for relevance, at most ${usd(e.cost.atMost)} in all.`,
    );
  return lines.join(' ');
}
