/**
 * How many requests an LLM evaluation of some items will send: the judgments that are neither
 * cached in the items nor in the judge's reply cache. Step 1 is exact; steps 2–3 only happen for
 * items step 1 finds irrelevant, so for them the plan gives an upper bound.
 */
import { truthy } from '../dataset/runs';
import { cacheKey, JudgeCache } from '../judge/cache';
import { isCanonicalAnswer } from '../judge/hybrid';
import { PROMPT_VERSION, type JudgeStep } from '../judge/prompts';
import { answerText, gtText, reasoningText } from '../text';

/** Requests per step: `requests` not cached anywhere, `cached` answered from the reply cache. */
export interface JudgePlan {
  items: number;
  relevance: { requests: number; cached: number };
  /** Upper bounds: only items step 1 judges irrelevant ask these. */
  categories: { requests: number; cached: number };
  reasoning: { requests: number; cached: number };
}

/** Options of `planJudgeRequests`. */
export interface PlanOptions {
  baseUrl: string;
  model: string;
  cacheDir?: string;
  /** Hybrid: step 1 of a canonical `X to Y` answer is decided by the rule. */
  hybrid?: boolean;
}

const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** Counts the distinct judgments the items still need and how many the reply cache already holds. */
export async function planJudgeRequests(items: readonly Record<string, unknown>[], o: PlanOptions): Promise<JudgePlan> {
  const wanted: Record<'relevance' | 'categories' | 'reasoning', Map<string, true>> = {
    relevance: new Map(),
    categories: new Map(),
    reasoning: new Map(),
  };
  const add = (step: JudgeStep & keyof typeof wanted, inputs: string[]) =>
    wanted[step].set(
      cacheKey({ baseUrl: o.baseUrl, model: o.model, step, promptVersion: PROMPT_VERSION, inputs }),
      true,
    );
  for (const it of items) {
    const output = typeof it.model_output === 'string' ? it.model_output : '';
    const gtRelevant = truthy(it.gt_relevant);
    const cachedCorrect = typeof it.classification_correct === 'boolean' ? it.classification_correct : null;
    const needStep1 = cachedCorrect === null || (!isNum(it.iou) && gtRelevant && cachedCorrect);
    const answer = answerText(output);
    if (needStep1 && answer && !(o.hybrid && isCanonicalAnswer(answer))) add('relevance', [answer]);
    if (gtRelevant) continue;
    const reasoning = reasoningText(output);
    if (!Array.isArray(it.pred_categories) && reasoning) add('categories', [reasoning]);
    const gt = gtText(typeof it.gt_output === 'string' ? it.gt_output : '');
    if (!isNum(it.reasoning_score) && gt && reasoning) add('reasoning', [reasoning, gt]);
  }
  const cache = o.cacheDir ? new JudgeCache(o.cacheDir) : undefined;
  const count = async (keys: Map<string, true>) => {
    let cached = 0;
    if (cache) for (const k of keys.keys()) if (await cache.get(k)) cached++;
    return { requests: keys.size - cached, cached };
  };
  return {
    items: items.length,
    relevance: await count(wanted.relevance),
    categories: await count(wanted.categories),
    reasoning: await count(wanted.reasoning),
  };
}
