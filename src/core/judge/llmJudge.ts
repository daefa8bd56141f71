/**
 * The LLM judge: the three steps of FORMATS.md §4 asked of any OpenAI-compatible
 * chat-completions server (OpenAI, vLLM, Ollama, …) through the `openai` client, with one
 * pool of requests in flight, the project's retry loop, an on-disk cache and usage counts.
 */
import { setMaxListeners } from 'node:events';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { CategoriesInput, Judge, ReasoningInput, RelevanceInput, RelevanceVerdict, Verdict } from '../eval/judge';
import { JudgeCache, cacheKey, normalizeBaseUrl } from './cache';
import { MalformedReplyError, parseCategories, parseRelevance, parseScore, preview, type Parsed } from './parse';
import { RequestPool } from './pool';
import {
  PROMPT_VERSION,
  RESPONSE_FORMATS,
  categoriesMessages,
  reasoningMessages,
  relevanceMessages,
  type ChatMessage,
  type JudgeStep,
} from './prompts';
import { abortError, retryAfterMs, withRetries, type RetryDecision, type RetryPolicy } from './retry';
import { JudgeUsage, type Price } from './usage';

/** Options of the LLM judge. */
export interface LlmJudgeOptions {
  /** Server base URL, e.g. https://api.openai.com/v1 or http://localhost:8000/v1. */
  baseUrl: string;
  model: string;
  /** Bearer key; local servers usually accept anything. */
  apiKey?: string;
  /** Requests in flight across all steps (default 8). */
  concurrency?: number;
  /** Cache folder; none when undefined. */
  cacheDir?: string;
  /** Retries per judgment after the first attempt (default 5). */
  maxRetries?: number;
  /** Per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
  price?: Price;
  /** Backoff base and cap in ms (defaults 1000 and 60 000). */
  backoff?: { baseDelayMs: number; maxDelayMs: number };
  /** Send `response_format` json_schema (default true; turned off by the judge if the server refuses it). */
  structured?: boolean;
  /** Called with notable events (server refused response_format, fatal error, cache write failure). */
  onEvent?: (message: string) => void;
}

/** An error that will not go away by retrying (bad key, unknown model): no more requests are sent. */
const FATAL_STATUS = new Set([401, 403, 404]);

/** The LLM judge. `stats()` and `info()` describe the run so far. */
export class LlmJudge implements Judge {
  readonly name: string;
  readonly pool: RequestPool;
  readonly usage: JudgeUsage;
  readonly baseUrl: string;
  private readonly client: OpenAI;
  private readonly cache?: JudgeCache;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private structured: boolean;
  /** Some models (OpenAI reasoning models) refuse a temperature; then none is sent. */
  private temperature = true;
  private fatal: string | undefined;
  /** True once the server has answered anything (even an error status). */
  private reached = false;
  private readonly memo = new Map<string, Promise<string>>();
  private readonly signals = new WeakSet<AbortSignal>();
  private cacheWriteFailures = 0;

  constructor(readonly options: LlmJudgeOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.name = `llm:${options.model}`;
    this.pool = new RequestPool(options.concurrency ?? 8);
    this.usage = new JudgeUsage(options.price);
    this.cache = options.cacheDir ? new JudgeCache(options.cacheDir) : undefined;
    this.policy = {
      maxRetries: options.maxRetries ?? 5,
      baseDelayMs: options.backoff?.baseDelayMs ?? 1000,
      maxDelayMs: options.backoff?.maxDelayMs ?? 60_000,
    };
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.structured = options.structured ?? true;
    // The client's own retries are off: retry.ts holds the project's only retry loop.
    this.client = new OpenAI({
      apiKey: options.apiKey || 'no-key',
      baseURL: this.baseUrl,
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
  }

  async relevance({ answerText }: RelevanceInput, signal?: AbortSignal): Promise<Verdict<RelevanceVerdict>> {
    if (!answerText.trim())
      return {
        status: 'ok',
        value: { classification: 'irrelevant', span: null },
        note: 'empty answer: irrelevant without a request',
      };
    return this.ask('relevance', relevanceMessages(answerText), [answerText], parseRelevance, signal);
  }

  async categories({ reasoningText }: CategoriesInput, signal?: AbortSignal): Promise<Verdict<string[]>> {
    if (!reasoningText.trim())
      return { status: 'ok', value: [], note: 'empty reasoning: no categories without a request' };
    return this.ask('categories', categoriesMessages(reasoningText), [reasoningText], parseCategories, signal);
  }

  async reasoning({ reasoningText, gtText }: ReasoningInput, signal?: AbortSignal): Promise<Verdict<number>> {
    if (!reasoningText.trim()) return { status: 'ok', value: 0, note: 'empty reasoning: score 0 without a request' };
    return this.ask('reasoning', reasoningMessages(reasoningText, gtText), [reasoningText, gtText], parseScore, signal);
  }

  /** Run facts for metrics.evaluation. */
  info(): Record<string, unknown> {
    return {
      judge_prompt_version: PROMPT_VERSION,
      judge_base_url: this.baseUrl,
      judge_model: this.options.model,
      judge_structured_output: this.structured,
      judge_concurrency: this.pool.size,
      judge_peak_in_flight: this.pool.peak,
      judge_cache_dir: this.options.cacheDir ?? null,
      ...(this.cacheWriteFailures ? { judge_cache_write_failures: this.cacheWriteFailures } : {}),
      judge_usage: this.usage.toJSON(),
      ...(this.fatal ? { judge_fatal_error: this.fatal } : {}),
    };
  }

  private async ask<T>(
    step: JudgeStep,
    messages: ChatMessage[],
    inputs: string[],
    parse: (c: string) => Parsed<T>,
    signal?: AbortSignal,
  ): Promise<Verdict<T>> {
    const u = this.usage.steps[step];
    u.calls++;
    if (signal && !this.signals.has(signal)) {
      // Every waiting and running request listens to the run's one signal (removed when done):
      // many at once is expected, not a leak.
      setMaxListeners(0, signal);
      this.signals.add(signal);
    }
    if (this.fatal) {
      u.errors++;
      return { status: 'error', error: `not asked: ${this.fatal}` };
    }
    const key = cacheKey({
      baseUrl: this.baseUrl,
      model: this.options.model,
      step,
      promptVersion: PROMPT_VERSION,
      inputs,
    });
    let pending = this.memo.get(key);
    if (pending) u.shared++;
    else {
      pending = this.fetchContent(step, key, messages, parse, signal);
      this.memo.set(key, pending);
      pending.catch(() => this.memo.delete(key));
    }
    let content: string;
    try {
      content = await pending;
    } catch (e) {
      if (signal?.aborted || (e as Error)?.name === 'AbortError') throw abortError(signal);
      u.errors++;
      return { status: 'error', error: (e as Error).message };
    }
    const p = parse(content);
    const notes: string[] = [];
    if (p.dropped?.length) {
      u.labels_dropped = (u.labels_dropped ?? 0) + p.dropped.length;
      notes.push(`labels outside the taxonomy dropped: ${p.dropped.join(', ')}`);
    }
    if (p.clippedFrom !== undefined) {
      u.scores_clipped = (u.scores_clipped ?? 0) + 1;
      notes.push(`score ${p.clippedFrom} clipped to ${p.value}`);
    }
    return notes.length ? { status: 'ok', value: p.value, note: notes.join('; ') } : { status: 'ok', value: p.value };
  }

  /** The reply content for a key: from the cache, else from the server (then cached). */
  private async fetchContent<T>(
    step: JudgeStep,
    key: string,
    messages: ChatMessage[],
    parse: (c: string) => Parsed<T>,
    signal?: AbortSignal,
  ): Promise<string> {
    const u = this.usage.steps[step];
    const hit = await this.cache?.get(key);
    if (hit) {
      try {
        parse(hit.content);
        u.cache_hits++;
        u.cached_prompt_tokens += hit.usage?.prompt_tokens ?? 0;
        u.cached_completion_tokens += hit.usage?.completion_tokens ?? 0;
        return hit.content;
      } catch {
        // an entry the current parser cannot read is asked again
      }
    }
    let attempts = 0;
    try {
      const { value } = await withRetries(
        () =>
          this.pool.run(async () => {
            if (this.fatal) throw new Error(`not asked: ${this.fatal}`);
            u.requests++;
            attempts++;
            const r = await this.client.chat.completions
              .create(
                {
                  model: this.options.model,
                  messages,
                  ...(this.temperature ? { temperature: 0 } : {}),
                  ...(this.structured ? { response_format: RESPONSE_FORMATS[step] } : {}),
                },
                { signal, timeout: this.timeoutMs, maxRetries: 0 },
              )
              .catch((e: unknown) => {
                if (e instanceof APIError && typeof e.status === 'number') this.reached = true;
                // A rate limit applies to everyone: pause the pool before this slot is freed.
                const wait = e instanceof APIError && e.status === 429 ? retryAfterMs(e.headers) : undefined;
                if (wait !== undefined) this.pool.pauseUntil(Date.now() + Math.min(wait, this.policy.maxDelayMs));
                throw e;
              });
            this.reached = true;
            u.prompt_tokens += r.usage?.prompt_tokens ?? 0;
            u.completion_tokens += r.usage?.completion_tokens ?? 0;
            const content = r.choices?.[0]?.message?.content ?? '';
            try {
              parse(content);
            } catch (e) {
              u.malformed_replies++;
              throw e;
            }
            return {
              content,
              usage: { prompt_tokens: r.usage?.prompt_tokens ?? 0, completion_tokens: r.usage?.completion_tokens ?? 0 },
            };
          }, signal),
        (e) => this.classify(e),
        this.policy,
        signal,
        () => void u.retries++,
      );
      if (this.cache) {
        try {
          await this.cache.put(key, {
            content: value.content,
            usage: value.usage,
            step,
            model: this.options.model,
            promptVersion: PROMPT_VERSION,
            at: new Date().toISOString(),
          });
        } catch (e) {
          // Said once: the run goes on without resume rather than failing.
          if (this.cacheWriteFailures++ === 0)
            this.options.onEvent?.(
              `judge cache: cannot write to ${this.options.cacheDir} (${(e as Error).message}); this run will not be resumable`,
            );
        }
      }
      return value.content;
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      // Nothing has ever answered at this address (a wrong port, a server not started or wedged):
      // one judgment's retries settle it, instead of every item retrying for minutes.
      if (e instanceof APIConnectionError && !this.reached && !this.fatal) {
        let root: unknown = e;
        while ((root as { cause?: unknown })?.cause) root = (root as { cause: unknown }).cause;
        const cause = root === e ? undefined : (root as Error)?.message;
        this.fatal =
          e instanceof APIConnectionTimeoutError
            ? `no reply from ${this.baseUrl} within ${this.timeoutMs} ms`
            : `cannot reach ${this.baseUrl}${cause ? ` (${cause})` : ''}`;
        this.options.onEvent?.(`judge: ${this.fatal} after ${attempts} attempts; no further requests are sent`);
      }
      throw new Error(attempts > 1 ? `${describe(e)} (after ${attempts} attempts)` : describe(e));
    }
  }

  private classify(e: unknown): RetryDecision {
    if (e instanceof MalformedReplyError) return { retry: true, reason: 'a malformed reply' };
    if (e instanceof APIConnectionTimeoutError) return { retry: true, reason: `no reply within ${this.timeoutMs} ms` };
    if (e instanceof APIConnectionError) return { retry: true, reason: `connection error: ${e.message}` };
    if (e instanceof APIError && typeof e.status === 'number') {
      const s = e.status;
      const wait = retryAfterMs(e.headers);
      if (s === 429) return { retry: true, delayMs: wait, reason: 'rate limited (429)' };
      if (s === 408 || s === 409 || s >= 500) return { retry: true, delayMs: wait, reason: `server error ${s}` };
      if ((s === 400 || s === 422) && this.temperature && /temperature/i.test(e.message)) {
        this.temperature = false;
        this.options.onEvent?.(`judge: the model refused temperature 0 (${e.message}); using the server's default`);
        return { retry: true, delayMs: 0, reason: 'temperature refused' };
      }
      if ((s === 400 || s === 422) && this.structured && /response_format|json_schema|schema|guided/i.test(e.message)) {
        this.structured = false;
        this.options.onEvent?.(
          `judge: the server refused response_format (${e.message}); asking for JSON in the prompt only`,
        );
        return { retry: true, delayMs: 0, reason: 'response_format refused' };
      }
      if (FATAL_STATUS.has(s) && !this.fatal) {
        this.fatal = `${s} from ${this.baseUrl}: ${e.message}`;
        this.options.onEvent?.(`judge: ${this.fatal}; no further requests are sent`);
      }
    }
    return { retry: false };
  }
}

function describe(e: unknown): string {
  if (e instanceof MalformedReplyError) return `malformed reply: ${e.message}`;
  if (e instanceof APIConnectionTimeoutError) return 'request timed out';
  if (e instanceof APIError && typeof e.status === 'number') return `HTTP ${e.status}: ${e.message}`;
  const m = e instanceof Error ? e.message : String(e);
  return m || preview(String(e));
}
