/**
 * The LLM judge's requests: one HTTP attempt through the `openai` client inside the pool, the
 * retry decisions, adapting to servers that refuse temperature 0 or response_format, and
 * stopping the run (through the supervisor) when retrying cannot help.
 */
import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, type APIError } from 'openai';
import type { CacheEntry } from './cache';
import { FATAL_STATUS, NotChatCompletionError, connectionProblem, describe, fatalStatus, httpStatus } from './errors';
import { MalformedReplyError, preview, type Parsed } from './parse';
import type { RequestPool } from './pool';
import { RESPONSE_FORMATS, type ChatMessage, type JudgeStep } from './prompts';
import { abortError, retryAfterMs, withRetries, type RetryDecision, type RetryPolicy } from './retry';
import type { Supervisor } from './supervisor';
import type { JudgeUsage } from './usage';

/** A reply's content and the tokens it cost. */
export type Reply = Pick<CacheEntry, 'content' | 'usage'>;

/** What the requester needs from the judge. */
export interface RequesterSetup {
  client: OpenAI;
  baseUrl: string;
  model: string;
  timeoutMs: number;
  policy: RetryPolicy;
  pool: RequestPool;
  usage: JudgeUsage;
  run: Supervisor;
  structured: boolean;
  onEvent?: (message: string) => void;
}

/** Sends the judge's requests. */
export class Requester {
  structured: boolean;
  /** Some models (OpenAI reasoning models) refuse a temperature; then none is sent. */
  private temperature = true;
  /** True once the server has answered anything (even an error status). */
  private reached = false;
  private readonly client: OpenAI;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly pool: RequestPool;
  private readonly usage: JudgeUsage;
  private readonly run: Supervisor;

  constructor(private readonly o: RequesterSetup) {
    ({ client: this.client, baseUrl: this.baseUrl, timeoutMs: this.timeoutMs, policy: this.policy } = o);
    ({ pool: this.pool, usage: this.usage, run: this.run, structured: this.structured } = o);
  }

  private get fatal(): string | undefined {
    return this.run.fatal;
  }

  /** A reply for one judgment: retried as the policy says, the run stopped when it is hopeless. */
  async request<T>(
    step: JudgeStep,
    messages: ChatMessage[],
    parse: (c: string) => Parsed<T>,
    signal?: AbortSignal,
  ): Promise<Reply> {
    const u = this.usage.steps[step];
    let attempts = 0;
    let sleeping = false;
    this.run.begin();
    try {
      const { value } = await withRetries(
        () => {
          if (sleeping) (sleeping = false), this.run.backingOff--;
          attempts++;
          return this.pool.run(() => this.attempt(step, messages, parse, signal), signal);
        },
        (e) => this.classify(e),
        this.policy,
        signal,
        ({ delayMs }) => {
          u.retries++;
          u.retry_wait_ms += delayMs;
          sleeping = true;
          this.run.backingOff++;
        },
      );
      return value;
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      throw this.failure(e, attempts);
    } finally {
      if (sleeping) this.run.backingOff--;
      this.run.end();
    }
  }

  /** One HTTP request (inside the pool): the parsed-checked reply, or a thrown failure. */
  private async attempt<T>(
    step: JudgeStep,
    messages: ChatMessage[],
    parse: (c: string) => Parsed<T>,
    signal?: AbortSignal,
  ): Promise<Reply> {
    if (this.fatal) throw new Error(`not asked: ${this.fatal}`);
    const u = this.usage.steps[step];
    u.requests++;
    const id = this.run.sent();
    try {
      const r = await this.client.chat.completions.create(
        {
          model: this.o.model,
          messages,
          ...(this.temperature ? { temperature: 0 } : {}),
          ...(this.structured ? { response_format: RESPONSE_FORMATS[step] } : {}),
        },
        { signal: this.run.requestSignal(signal), timeout: this.timeoutMs, maxRetries: 0 },
      );
      this.reached = true;
      if (!Array.isArray((r as { choices?: unknown })?.choices))
        throw new NotChatCompletionError(
          `${this.baseUrl}/chat/completions did not answer with a chat completion ` +
            `(${preview(typeof r === 'string' ? r : JSON.stringify(r))}); is this an OpenAI-compatible server?`,
        );
      const usage = { prompt_tokens: r.usage?.prompt_tokens ?? 0, completion_tokens: r.usage?.completion_tokens ?? 0 };
      u.prompt_tokens += usage.prompt_tokens;
      u.completion_tokens += usage.completion_tokens;
      const content = r.choices[0]?.message?.content ?? '';
      try {
        parse(content);
      } catch (e) {
        u.malformed_replies++;
        throw e;
      }
      this.run.watch.answered(Date.now());
      return { content, usage };
    } catch (e) {
      const status = httpStatus(e);
      if (status !== undefined) this.reached = true;
      // A rate limit applies to everyone: pause the pool before this slot is freed.
      const wait = status === 429 ? retryAfterMs((e as { headers?: Headers }).headers) : undefined;
      if (wait !== undefined) this.pool.pauseUntil(Date.now() + Math.min(wait, this.policy.maxDelayMs));
      throw e;
    } finally {
      this.run.replied(id);
    }
  }

  /** The error a judgment ends with; a server never reached at all stops the run. */
  private failure(e: unknown, attempts: number): Error {
    if (this.fatal && !(e instanceof Error && /^not asked: /.test(e.message)) && !httpStatus(e))
      return new Error(`stopped: ${this.fatal}`);
    // Nothing has ever answered at this address (a wrong port, a server not started or wedged):
    // one judgment's retries settle it, instead of every item retrying for minutes.
    if (e instanceof APIConnectionError && !this.reached && !this.fatal) {
      this.run.stop(
        e instanceof APIConnectionTimeoutError
          ? `no reply from ${this.baseUrl} within ${this.timeoutMs} ms after ${attempts} attempts`
          : `${connectionProblem(e, this.baseUrl)} (${attempts} attempts)`,
      );
    }
    const d = describe(e, this.baseUrl, this.timeoutMs);
    return new Error(attempts > 1 ? `${d} (after ${attempts} attempts)` : d);
  }

  private classify(e: unknown): RetryDecision {
    if (this.fatal) return { retry: false };
    const s = httpStatus(e);
    if (s === 429) {
      this.run.watch.answered(Date.now(), false);
      return { retry: true, delayMs: retryAfterMs((e as { headers?: Headers }).headers), reason: 'rate limited (429)' };
    }
    const adapted = s === 400 || s === 422 ? this.adapt(e as Error) : undefined;
    if (adapted) return adapted;
    if (e instanceof NotChatCompletionError) return this.stopWith(e.message);
    if (s !== undefined && FATAL_STATUS.has(s)) return this.stopWith(fatalStatus(e as APIError, this.baseUrl));
    const reason = describe(e, this.baseUrl, this.timeoutMs);
    const why = this.run.watch.failed(reason, Date.now());
    if (why) return this.stopWith(why);
    const retryable =
      e instanceof MalformedReplyError ||
      e instanceof APIConnectionError ||
      (s !== undefined && (s === 408 || s === 409 || s >= 500));
    return retryable
      ? { retry: true, delayMs: s ? retryAfterMs((e as { headers?: Headers }).headers) : undefined, reason }
      : { retry: false };
  }

  private stopWith(why: string): RetryDecision {
    this.run.stop(why);
    return { retry: false };
  }

  /** A 400 that says the model or server refuses temperature 0 or response_format: asked again without it. */
  private adapt(e: Error): RetryDecision | undefined {
    if (this.temperature && /temperature/i.test(e.message)) {
      this.temperature = false;
      this.o.onEvent?.(`judge: the model refused temperature 0 (${e.message}); using the server's default`);
      return { retry: true, delayMs: 0, reason: 'temperature refused' };
    }
    if (this.structured && /response_format|json_schema|schema|guided/i.test(e.message)) {
      this.structured = false;
      this.o.onEvent?.(`judge: the server refused response_format (${e.message}); asking for JSON in the prompt only`);
      return { retry: true, delayMs: 0, reason: 'response_format refused' };
    }
    return undefined;
  }
}
