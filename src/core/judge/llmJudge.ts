/**
 * The LLM judge: the three steps of FORMATS.md §4 asked of any OpenAI-compatible
 * chat-completions server (OpenAI, vLLM, Ollama, …) through the `openai` client, with one
 * pool of requests in flight, the project's retry loop, an on-disk cache, usage counts, and a
 * supervisor that gives up on a server that hangs, refuses or keeps failing.
 */
import { setMaxListeners } from 'node:events';
import OpenAI from 'openai';
import type { CategoriesInput, Judge, ReasoningInput, RelevanceInput, RelevanceVerdict, Verdict } from '../eval/judge';
import { JudgeCache, cacheKey, normalizeBaseUrl } from './cache';
import { parseCategories, parseRelevance, parseScore, type Parsed } from './parse';
import { RequestPool } from './pool';
import {
  PROMPT_VERSION,
  categoriesMessages,
  reasoningMessages,
  relevanceMessages,
  type ChatMessage,
  type JudgeStep,
} from './prompts';
import { Requester, type Reply } from './requester';
import { abortError } from './retry';
import { Supervisor, type StatusSource } from './supervisor';
import { JudgeUsage, type Price } from './usage';
import { giveUpPolicy, type GiveUpPolicy, type JudgeStatus } from './watch';

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
  /** When to give up on the server (defaults: `giveUpPolicy`). */
  giveUp?: Partial<GiveUpPolicy>;
  /** Status reports while requests are outstanding, at least this often (ms, default 15 000). */
  statusIntervalMs?: number;
  /** Called with each status report (also `onStatus()` on the judge). */
  onStatus?: (status: JudgeStatus) => void;
}

/** The LLM judge. `info()` describes the run so far; `status()` what it is waiting for. */
export class LlmJudge implements Judge, StatusSource {
  readonly name: string;
  readonly pool: RequestPool;
  readonly usage: JudgeUsage;
  readonly baseUrl: string;
  private readonly cache?: JudgeCache;
  private readonly run: Supervisor;
  private readonly requester: Requester;
  private readonly memo = new Map<string, Promise<string>>();
  private readonly signals = new WeakSet<AbortSignal>();
  private cacheWriteFailures = 0;

  constructor(readonly options: LlmJudgeOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.name = `llm:${options.model}`;
    this.pool = new RequestPool(options.concurrency ?? 8);
    this.usage = new JudgeUsage(options.price);
    this.cache = options.cacheDir ? new JudgeCache(options.cacheDir) : undefined;
    const timeoutMs = options.timeoutMs ?? 60_000;
    const giveUp = giveUpPolicy(this.pool.size, timeoutMs, options.giveUp);
    const interval = options.statusIntervalMs ?? 15_000;
    this.run = new Supervisor(this.baseUrl, timeoutMs, this.pool, giveUp, interval, (why) =>
      options.onEvent?.(`judge: ${why}; no further requests are sent`),
    );
    if (options.onStatus) this.run.onStatus(options.onStatus);
    this.requester = new Requester({
      // The client's own retries are off: retry.ts holds the project's only retry loop.
      client: new OpenAI({
        apiKey: options.apiKey || 'no-key',
        baseURL: this.baseUrl,
        maxRetries: 0,
        timeout: timeoutMs,
      }),
      baseUrl: this.baseUrl,
      model: options.model,
      timeoutMs,
      policy: {
        maxRetries: options.maxRetries ?? 5,
        baseDelayMs: options.backoff?.baseDelayMs ?? 1000,
        maxDelayMs: options.backoff?.maxDelayMs ?? 60_000,
      },
      pool: this.pool,
      usage: this.usage,
      run: this.run,
      structured: options.structured ?? true,
      onEvent: options.onEvent,
    });
  }

  /** Why the judge stopped asking, if it did. */
  get fatal(): string | undefined {
    return this.run.fatal;
  }

  /** What the run is waiting for now. */
  status(): JudgeStatus {
    return this.run.status();
  }

  onStatus(fn: (s: JudgeStatus) => void): () => void {
    return this.run.onStatus(fn);
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
      judge_structured_output: this.requester.structured,
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
      if (signal?.aborted) throw abortError(signal);
      u.errors++;
      return { status: 'error', error: (e as Error).message };
    }
    return withNotes(parse(content), u);
  }

  /** The reply content for a key: from the cache, else from the server (then cached). */
  private async fetchContent<T>(
    step: JudgeStep,
    key: string,
    messages: ChatMessage[],
    parse: (c: string) => Parsed<T>,
    signal?: AbortSignal,
  ): Promise<string> {
    const hit = await this.fromCache(step, key, parse);
    if (hit !== undefined) return hit;
    const value = await this.requester.request(step, messages, parse, signal);
    await this.store(key, step, value);
    return value.content;
  }

  /** A cached reply the current parser can read, counted as a hit. */
  private async fromCache<T>(step: JudgeStep, key: string, parse: (c: string) => Parsed<T>) {
    const hit = await this.cache?.get(key);
    if (!hit) return undefined;
    try {
      parse(hit.content);
    } catch {
      return undefined; // an entry the current parser cannot read is asked again
    }
    const u = this.usage.steps[step];
    u.cache_hits++;
    u.cached_prompt_tokens += hit.usage?.prompt_tokens ?? 0;
    u.cached_completion_tokens += hit.usage?.completion_tokens ?? 0;
    return hit.content;
  }

  /** Writes a reply to the cache; a failure is said once and the run goes on without resume. */
  private async store(key: string, step: JudgeStep, value: Reply): Promise<void> {
    if (!this.cache) return;
    try {
      await this.cache.put(key, {
        ...value,
        step,
        model: this.options.model,
        promptVersion: PROMPT_VERSION,
        at: new Date().toISOString(),
      });
    } catch (e) {
      if (this.cacheWriteFailures++ === 0)
        this.options.onEvent?.(
          `judge cache: cannot write to ${this.options.cacheDir} (${(e as Error).message}); this run will not be resumable`,
        );
    }
  }
}

/** A parsed value with the notes of what parsing changed (labels dropped, score clipped), counted. */
function withNotes<T>(p: Parsed<T>, u: JudgeUsage['steps'][JudgeStep]): Verdict<T> {
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
