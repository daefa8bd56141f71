/**
 * Judge options of `rarft evaluate` and the factory that builds the judge from them.
 * (Owned by the judge feature: new judges add their options and cases here.)
 */
import { resolve } from 'node:path';
import type { RelevanceVerdict } from '../core/eval/judge';
import type { Disagreement, JudgeSetup } from '../core/eval/run';
import { offlineJudge } from '../core/eval/judge';
import { defaultJudgeCacheDir } from '../core/judge/cache';
import type { HybridJudge } from '../core/judge/hybrid';
import type { LlmJudge, LlmJudgeOptions } from '../core/judge/llmJudge';
import { PROMPT_VERSION, type JudgeStep } from '../core/judge/prompts';
import type { Price } from '../core/judge/usage';
import { heldUp, statusText } from '../core/judge/watch';
import { CliError, MAX_TIMEOUT_S, numberOption, table } from './io';

/** parseArgs options the judge understands. */
import { judgeOptionSpec } from './evaluateSpec';

export { judgeOptionSpec };

/** Usage text for the judge options. */
export const judgeUsage =
  '[--judge offline|llm|hybrid] [--base-url URL] [--model NAME] [--concurrency N] [--cache-dir DIR | --no-cache] ' +
  '[--max-retries N] [--timeout SECONDS] [--give-up SECONDS] [--price IN,OUT]';

/** A judge built for one run (core's `JudgeSetup`: what `runEvaluation` takes). */
export type { JudgeSetup } from '../core/eval/run';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function parsePrice(v: unknown): Price | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*([0-9.]+)\s*,\s*([0-9.]+)\s*$/.exec(String(v));
  const input = m ? Number(m[1]) : NaN;
  const output = m ? Number(m[2]) : NaN;
  if (!Number.isFinite(input) || !Number.isFinite(output)) {
    throw new CliError(
      `--price: expected IN,OUT in US dollars per million prompt and completion tokens (e.g. 0.15,0.6), got '${v}'`,
      2,
    );
  }
  return { input, output };
}

/** Builds the judge named by `--judge`. */
export async function createJudge(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JudgeSetup> {
  const name = String(values.judge ?? 'offline');
  if (name === 'offline') {
    const extra = Object.keys(judgeOptionSpec).filter((k) => k !== 'judge' && values[k] !== undefined);
    if (extra.length)
      throw new CliError(`${extra.map((k) => `--${k}`).join(', ')}: only with --judge llm or --judge hybrid`, 2);
    return { judge: offlineJudge };
  }
  if (name !== 'llm' && name !== 'hybrid')
    throw new CliError(`--judge ${name}: unknown judge (expected offline, llm or hybrid)`, 2);

  const options = llmOptions(name, values, env);
  // Loaded here, not at the top: the OpenAI client is outside the CLI bundle (scripts/build.mjs),
  // so the offline judge and every other command start without it.
  const [{ LlmJudge }, { HybridJudge }] = await Promise.all([
    import('../core/judge/llmJudge'),
    import('../core/judge/hybrid'),
  ]);
  const llm = new LlmJudge(options);
  const concurrency = llm.pool.size;
  const hybrid = name === 'hybrid' ? new HybridJudge(llm) : undefined;
  const judge = hybrid ?? llm;
  return {
    judge,
    itemConcurrency: Math.max(64, concurrency * 4),
    disagreements: true,
    metricsInfo: () => judge.info(),
    waiting: () => {
      const st = judge.status();
      return heldUp(st) ? statusText(st) : undefined;
    },
    report: () => judgeReport(llm, hybrid),
  };
}

/** What `--dry-run` plans with: the LLM judge's server, model, cache and price (undefined: the offline judge). */
export function judgeTarget(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): { name: string; baseUrl: string; model: string; cacheDir?: string; price?: Price } | undefined {
  const name = String(values.judge ?? 'offline');
  if (name === 'offline') return undefined;
  if (name !== 'llm' && name !== 'hybrid')
    throw new CliError(`--judge ${name}: unknown judge (expected offline, llm or hybrid)`, 2);
  const o = llmOptions(name, values, env);
  return { name, baseUrl: o.baseUrl ?? DEFAULT_BASE_URL, model: o.model, cacheDir: o.cacheDir, price: o.price };
}

/** The LLM judge's options from the command line (usage errors exit 2). */
function llmOptions(name: string, values: Record<string, unknown>, env: NodeJS.ProcessEnv): LlmJudgeOptions {
  const model = typeof values.model === 'string' && values.model.trim() ? values.model.trim() : undefined;
  if (!model)
    throw new CliError(
      `--judge ${name} needs --model NAME (the model the server serves, e.g. gpt-4o-mini or Qwen/Qwen2.5-7B-Instruct)`,
      2,
    );
  const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : env.OPENAI_BASE_URL || DEFAULT_BASE_URL;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new CliError(`--base-url: expected an http(s) URL such as http://localhost:8000/v1, got '${baseUrl}'`, 2);
  }
  const apiKey = env.OPENAI_API_KEY;
  if (!apiKey && new URL(baseUrl).hostname === 'api.openai.com')
    throw new CliError('--judge: set OPENAI_API_KEY to use the OpenAI API');
  const concurrency = numberOption('concurrency', values.concurrency, 1, 1024) ?? 8;
  if (!Number.isInteger(concurrency))
    throw new CliError(`--concurrency: expected a whole number, got '${values.concurrency}'`, 2);
  const maxRetries = numberOption('max-retries', values['max-retries'], 0, 100) ?? 5;
  const timeoutS = numberOption('timeout', values.timeout, 0.001, MAX_TIMEOUT_S) ?? 60;
  const giveUpS = numberOption('give-up', values['give-up'], 0.001, MAX_TIMEOUT_S);
  const price = parsePrice(values.price);
  if (values['no-cache'] && values['cache-dir'] !== undefined)
    throw new CliError('--cache-dir and --no-cache: give one of them', 2);
  const cacheDir = values['no-cache']
    ? undefined
    : resolve(typeof values['cache-dir'] === 'string' ? values['cache-dir'] : defaultJudgeCacheDir(env));

  return {
    baseUrl,
    model,
    apiKey,
    concurrency,
    cacheDir,
    maxRetries: Math.floor(maxRetries),
    timeoutMs: timeoutS * 1000,
    price,
    ...(giveUpS !== undefined ? { giveUp: { stallMs: giveUpS * 1000 } } : {}),
    onEvent: (m) => process.stderr.write(`rarft: ${m}\n`),
  };
}

/** The cost line: this run's, and what the cached replies cost when they were first asked. */
function costLine(llm: LlmJudge): string | undefined {
  const u = llm.usage;
  const cost = u.cost();
  if (cost === undefined) return undefined;
  const hits = u.total('cache_hits');
  if (!hits) return `cost: $${cost.toFixed(4)}`;
  const original = (u.savedCost() ?? 0).toFixed(4);
  return `cost: $${original} spent originally on ${hits} cached replies, $${cost.toFixed(4)} now`;
}

/** The lines printed after the summary: usage per step, peak in flight, cost, cache. */
export function judgeReport(llm: LlmJudge, hybrid?: HybridJudge): string {
  const u = llm.usage;
  const steps: JudgeStep[] = ['relevance', 'categories', 'reasoning'];
  const rows: (string | number)[][] = [
    ['step', 'judgments', 'requests', 'cache hits', 'shared', 'retries', 'errors', 'prompt tok', 'completion tok'],
  ];
  for (const s of steps) {
    const x = u.steps[s];
    rows.push([
      s,
      x.calls,
      x.requests,
      x.cache_hits,
      x.shared,
      x.retries,
      x.errors,
      x.prompt_tokens,
      x.completion_tokens,
    ]);
  }
  const lines = [`judge ${hybrid?.name ?? llm.name} at ${llm.baseUrl}, prompts ${PROMPT_VERSION}`, table(rows)];
  lines.push(`requests in flight: peak ${llm.pool.peak} of ${llm.pool.size}`);
  const dropped = u.steps.categories.labels_dropped ?? 0;
  const clipped = u.steps.reasoning.scores_clipped ?? 0;
  if (dropped || clipped)
    lines.push(`labels outside the taxonomy dropped: ${dropped}; scores clipped to 0–5: ${clipped}`);
  const cost = costLine(llm);
  if (cost) lines.push(cost);
  if (hybrid) {
    const h = hybrid.saved();
    lines.push(
      `hybrid: ${h.rule_decided} step-1 judgments decided by the rule; ${h.requests_saved} requests saved against --judge llm`,
    );
  }
  const info = llm.info();
  lines.push(
    info.judge_cache_dir
      ? `cache: ${info.judge_cache_dir} (rerun the same command to resume or to reuse replies)`
      : 'cache: off',
  );
  if (info.judge_fatal_error) lines.push(`stopped asking after: ${info.judge_fatal_error}`);
  return lines.join('\n');
}

/** Summary lines for the disagreements: the count and the first few items. */
export function disagreementLines(d: { count: number; items: Disagreement[] }, show = 10): string {
  if (!d.count) return 'judge disagreements (offline rule vs judge, step 1): none';
  const v = (x: RelevanceVerdict) =>
    x.classification === 'relevant' ? `relevant ${x.span ? `[${x.span.join(', ')}]` : '(no span)'}` : 'irrelevant';
  const lines = [
    `judge disagreements (offline rule vs judge, step 1): ${d.count} items (all listed in the metrics and items files, key judge_disagreement)`,
  ];
  for (const x of d.items.slice(0, show))
    lines.push(`  #${x.index} ${String(x.video)} "${String(x.query)}": rule ${v(x.offline)}, judge ${v(x.judge)}`);
  if (d.count > show) lines.push(`  … ${d.count - show} more`);
  return lines.join('\n');
}
