/**
 * How many requests an LLM evaluation of some items will send: the judgments that are neither
 * cached in the items nor in the judge's reply cache. Step 1 is exact; steps 2–3 only happen for
 * items step 1 finds irrelevant, so for them the plan gives an upper bound.
 */
import { truthy } from '../dataset/runs';
import { cacheKey, JudgeCache } from '../judge/cache';
import { isCanonicalAnswer } from '../judge/hybrid';
import {
  categoriesMessages,
  PROMPT_VERSION,
  reasoningMessages,
  relevanceMessages,
  RESPONSE_FORMATS,
  type ChatMessage,
  type JudgeStep,
} from '../judge/prompts';
import { answerText, gtText, reasoningText } from '../text';

/** Requests per step: `requests` not cached anywhere, `cached` answered from the reply cache. */
export interface JudgePlan {
  items: number;
  relevance: { requests: number; cached: number };
  /** Upper bounds: only items step 1 judges irrelevant ask these. */
  categories: { requests: number; cached: number };
  reasoning: { requests: number; cached: number };
  /** Characters of the prompts (messages and response format) of the requests not cached, per step. */
  promptChars: Record<PlannedStep, number>;
}

type PlannedStep = 'relevance' | 'categories' | 'reasoning';

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
  const wanted: Record<PlannedStep, Map<string, number>> = {
    relevance: new Map(),
    categories: new Map(),
    reasoning: new Map(),
  };
  const add = (step: JudgeStep & PlannedStep, inputs: string[], messages: () => ChatMessage[]) => {
    const key = cacheKey({ baseUrl: o.baseUrl, model: o.model, step, promptVersion: PROMPT_VERSION, inputs });
    if (!wanted[step].has(key)) wanted[step].set(key, promptChars(messages(), step));
  };
  for (const it of items) {
    const output = typeof it.model_output === 'string' ? it.model_output : '';
    const gtRelevant = truthy(it.gt_relevant);
    const cachedCorrect = typeof it.classification_correct === 'boolean' ? it.classification_correct : null;
    const needStep1 = cachedCorrect === null || (!isNum(it.iou) && gtRelevant && cachedCorrect);
    const answer = answerText(output);
    if (needStep1 && answer && !(o.hybrid && isCanonicalAnswer(answer)))
      add('relevance', [answer], () => relevanceMessages(answer));
    if (gtRelevant) continue;
    const reasoning = reasoningText(output);
    if (!Array.isArray(it.pred_categories) && reasoning)
      add('categories', [reasoning], () => categoriesMessages(reasoning));
    const gt = gtText(typeof it.gt_output === 'string' ? it.gt_output : '');
    if (!isNum(it.reasoning_score) && gt && reasoning)
      add('reasoning', [reasoning, gt], () => reasoningMessages(reasoning, gt));
  }
  const cache = o.cacheDir ? new JudgeCache(o.cacheDir) : undefined;
  const chars = { relevance: 0, categories: 0, reasoning: 0 };
  const count = async (step: PlannedStep) => {
    let cached = 0;
    for (const [k, n] of wanted[step]) {
      if (cache && (await cache.get(k))) cached++;
      else chars[step] += n;
    }
    return { requests: wanted[step].size - cached, cached };
  };
  return {
    items: items.length,
    relevance: await count('relevance'),
    categories: await count('categories'),
    reasoning: await count('reasoning'),
    promptChars: chars,
  };
}

/** The characters one request sends: every message's text and the response-format schema. */
function promptChars(messages: ChatMessage[], step: PlannedStep): number {
  let n = JSON.stringify(RESPONSE_FORMATS[step]).length;
  for (const m of messages) n += m.content.length;
  return n;
}
