/**
 * `checkpoint-N/trainer_state.json`: its `log_history` as step records. Python's json module
 * writes `NaN` and `Infinity` there, which JSON.parse refuses, so it is read as a literal.
 */
import { LineIndex } from '../json/positions';
import { LiteralSyntaxError, parseLiteral } from '../pyLiteral';
import { metricsRecord, type LogRecord } from './records';

/** True when a text looks like a trainer_state.json (an object with `log_history`), judged by its start. */
export function looksLikeTrainerState(text: string): boolean {
  const head = text.slice(0, 4096);
  return /^\s*\{/.test(head) && (head.includes('"log_history"') || head.includes('"global_step"'));
}

/** The records of a trainer_state.json text; a broken file gives one problem at its line and column. */
export function parseTrainerState(text: string): LogRecord[] {
  let v: unknown;
  try {
    v = parseLiteral(text);
  } catch (e) {
    if (!(e instanceof LiteralSyntaxError)) throw e;
    const p = new LineIndex(text).position(e.offset);
    return [{ kind: 'problem', line: p.line, column: p.column, message: `trainer_state.json: ${e.message}` }];
  }
  const history = (v as { log_history?: unknown } | null)?.log_history;
  if (!Array.isArray(history))
    return [
      { kind: 'problem', line: 1, column: 1, message: 'trainer_state.json: expected an object with "log_history"' },
    ];
  const out: LogRecord[] = [];
  for (const entry of history)
    if (entry && typeof entry === 'object' && !Array.isArray(entry))
      out.push(metricsRecord(0, entry as Record<string, unknown>));
  return out;
}
