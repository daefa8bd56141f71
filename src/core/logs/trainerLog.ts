/**
 * The streaming trainer-log parser: feed the log in chunks as it grows, get the records the
 * chunk finished. Reads the Hugging Face trainer's per-step dict lines (Python literal syntax)
 * wherever they sit in other output, tqdm bars, and the RA-RFT trainer's per-group blocks
 * (`Query:`, `Task Type:`, `Generated Completions (N):`, `  [i] answer`, `reward_<name>: [...]`).
 * A partial last line waits for its newline.
 */
import { LiteralReader, LiteralSyntaxError } from '../pyLiteral';
import { LineSplitter, type Segment } from './lines';
import { metricsRecord, type LogRecord, type LogValue, type Progress } from './records';

const QUERY = /^Query:\s?(.*)$/;
const TASK_TYPE = /^Task Type:\s*(.*)$/;
const COMPLETIONS = /^Generated Completions \((\d+)\):?\s*$/;
const COMPLETION = /^\s+\[(\d+)\]\s?(.*)$/;
const REWARDS = /^\s*(reward_[A-Za-z0-9_./-]+):\s*(\[.*\])\s*$/;
/** The core of a tqdm bar, `n/total [elapsed<remaining, rate]`; it starts with a digit, so a scan stays linear. */
const TQDM = /(\d+)\/(\d+)\s*\[(\d[\d:]*|\?)<(\d[\d:]*|\?),\s*(?:([\d.]+|\?)\s*(it\/s|s\/it))?/;
/** What stands before it: `desc: 45%|████ | `. */
const TQDM_DESC = /^\s*(?:(.*?):\s*)?(?:\d+%\|[^|]*\|\s*)?$/;
const RESUME = /Continuing training from (?:checkpoint|global step)|[Rr]esuming (?:training )?from (?:the )?checkpoint/;
/** Lines that end a completion's text instead of continuing it: logger records, warnings, tracebacks. */
const OTHER_OUTPUT =
  /^(?:\[?(?:WARNING|INFO|ERROR|DEBUG|CRITICAL)\b|[WIEF]\d{4} |\[rank\d+\]|\d{4}-\d\d-\d\d[ T]\d\d:\d\d|Traceback \(|wandb:|\S+:\d+: \w*Warning:)/;

/** Seconds from tqdm's `mm:ss` / `h:mm:ss`; null for `?`. */
function clock(s: string): number | null {
  if (s === '?') return null;
  let t = 0;
  for (const part of s.split(':')) t = t * 60 + Number(part);
  return Number.isFinite(t) ? t : null;
}

/** A tqdm bar in a segment, or null. */
export function parseTqdm(text: string): Progress | null {
  if (!text.includes('<')) return null;
  const m = TQDM.exec(text);
  if (!m) return null;
  const before = TQDM_DESC.exec(text.slice(0, m.index));
  if (!before) return null;
  const rate = m[5] && m[5] !== '?' ? Number(m[5]) : null;
  return {
    desc: (before[1] ?? '').trim(),
    n: Number(m[1]),
    total: Number(m[2]),
    elapsed: clock(m[3]),
    remaining: clock(m[4]),
    rate: rate === null ? null : m[6] === 's/it' ? (rate > 0 ? 1 / rate : null) : rate,
  };
}

/** Turns a growing trainer log into records. One instance per log. */
export class TrainerLogParser {
  private readonly lines = new LineSplitter();
  /** Inside a `Generated Completions` block: `  [i]` lines are completions. */
  private inBlock = false;
  /** The record just before was a completion (or its continuation): plain lines continue it. */
  private afterCompletion = false;

  /** Records finished by a chunk of text. */
  feed(chunk: string): LogRecord[] {
    return this.segments(this.lines.feed(chunk));
  }

  /** Records finished by a chunk of UTF-8 bytes. */
  feedBytes(bytes: Uint8Array): LogRecord[] {
    return this.segments(this.lines.feedBytes(bytes));
  }

  /** Records of the last unterminated line, at the end of a finished log. */
  end(): LogRecord[] {
    return this.segments(this.lines.end());
  }

  private segments(segs: Segment[]): LogRecord[] {
    const out: LogRecord[] = [];
    for (const s of segs) this.segment(s, out);
    return out;
  }

  private segment(seg: Segment, out: LogRecord[]): void {
    const { text, line } = seg;
    const brace = text.indexOf('{');
    if (brace >= 0 && this.dict(seg, brace, out)) return;
    let m: RegExpExecArray | null;
    // Anchored patterns first (cheap); a tqdm bar never starts like a completion, a reward list or a header.
    if (this.inBlock && (m = COMPLETION.exec(text))) {
      this.afterCompletion = true;
      out.push({ kind: 'completion', line, index: Number(m[1]), text: m[2] });
    } else if ((m = REWARDS.exec(text))) this.rewards(seg, m[1].slice('reward_'.length), text.indexOf('['), out);
    else if ((m = QUERY.exec(text))) {
      this.inBlock = this.afterCompletion = false;
      out.push({ kind: 'query', line, text: m[1] });
    } else if ((m = TASK_TYPE.exec(text))) {
      this.afterCompletion = false;
      out.push({ kind: 'taskType', line, text: m[1].trim() });
    } else if ((m = COMPLETIONS.exec(text))) {
      this.inBlock = true;
      this.afterCompletion = false;
      out.push({ kind: 'completions', line, count: Number(m[1]) });
    } else this.other(seg, out);
  }

  /** A tqdm bar, a further line of a completion, or other output. */
  private other(seg: Segment, out: LogRecord[]): void {
    const { text, line } = seg;
    const bar = parseTqdm(text);
    if (bar) out.push({ kind: 'progress', line, progress: bar });
    else if (this.afterCompletion && !OTHER_OUTPUT.test(text)) {
      out.push({ kind: 'completionMore', line, text });
      return;
    } else if (RESUME.test(text)) out.push({ kind: 'resume', line });
    this.afterCompletion = false;
  }

  /** A dict at `brace`; true when the segment was taken as one (or as a broken one). */
  private dict(seg: Segment, brace: number, out: LogRecord[]): boolean {
    const { text, line } = seg;
    // Only `{'…`, `{"…` or `{}` start a dict line; other braces are ordinary text.
    let j = brace + 1;
    while (text.charCodeAt(j) === 32) j++;
    const c = text[j];
    if (c !== "'" && c !== '"' && c !== '}') return false;
    try {
      const v = new LiteralReader(text, brace).value();
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
      this.inBlock = this.afterCompletion = false;
      // A bar drawn just before the dict on the same segment (no carriage return between) still counts.
      const bar = brace > 0 ? parseTqdm(text.slice(0, brace)) : null;
      if (bar) out.push({ kind: 'progress', line, progress: bar });
      out.push(metricsRecord(line, v as Record<string, unknown>));
      return true;
    } catch (e) {
      if (!(e instanceof LiteralSyntaxError)) throw e;
      // A line that is nothing but the dict is a broken step line; a brace inside prose is not ours.
      if (text.slice(0, brace).trim() !== '') return false;
      out.push({
        kind: 'problem',
        line,
        column: seg.column + e.offset,
        message: `trainer dict line: ${e.message}`,
      });
      return true;
    }
  }

  private rewards(seg: Segment, name: string, at: number, out: LogRecord[]): void {
    this.inBlock = this.afterCompletion = false;
    try {
      const v = new LiteralReader(seg.text, at).value() as unknown[];
      const values: LogValue[] = [];
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x === 'number' || x === null) values.push(x);
        else if (typeof x === 'boolean') values.push(x ? 1 : 0);
        else throw new LiteralSyntaxError(`expected a number or None as element ${i}`, 0);
      }
      out.push({ kind: 'rewards', line: seg.line, name, values });
    } catch (e) {
      if (!(e instanceof LiteralSyntaxError)) throw e;
      const col = seg.column + (e.offset || at);
      out.push({ kind: 'problem', line: seg.line, column: col, message: `reward_${name} list: ${e.message}` });
    }
  }
}

/** Parses a whole log text at once (the same parser, one chunk). */
export function parseTrainerLog(text: string): LogRecord[] {
  const p = new TrainerLogParser();
  const out = p.feed(text);
  for (const r of p.end()) out.push(r);
  return out;
}
