/** Turns pending problems (found on values) into problems with line and column. */
import { keyOf, LineIndex, locatePaths, type JsonPath } from '../json/positions';
import type { PendingProblem, Problem } from '../problems';

/**
 * Places each pending problem at its value in `text`; a path that does not exist (a missing
 * field) falls back to its nearest existing ancestor. One pass over the text for all of them.
 */
export function placeProblems(file: string, text: string, pending: PendingProblem[]): Problem[] {
  if (!pending.length) return [];
  const wanted: JsonPath[] = [];
  for (const p of pending) for (let k = p.path.length; k >= 0; k--) wanted.push(p.path.slice(0, k));
  const found = locatePaths(text, wanted);
  const lines = new LineIndex(text);
  return pending.map((p) => {
    let loc;
    for (let k = p.path.length; k >= 0 && !loc; k--) loc = found.get(keyOf(p.path.slice(0, k)));
    const start = loc ? (p.atKey && loc.keyOffset !== undefined ? loc.keyOffset : loc.offset) : 0;
    const end = loc ? loc.offset + Math.min(loc.length, 2000) : 0;
    const s = lines.position(start);
    const e = lines.position(Math.max(end, start + 1));
    const out: Problem = {
      file,
      line: s.line,
      column: s.column,
      endLine: e.line,
      endColumn: e.column,
      severity: p.severity,
      code: p.code,
      message: p.message,
      path: [...p.path],
    };
    if (p.data) out.data = p.data;
    return out;
  });
}
