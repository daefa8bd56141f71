/**
 * Quick fixes for validation problems, as minimal text edits (jsonc-parser finds the value):
 * wrap a GT answer in <answer> tags, clamp a timestamp end to the duration, fill an empty
 * answerable answer from the entry's timestamp.
 */
import { findNodeAtLocation, getNodeValue, parseTree, type Node } from 'jsonc-parser';
import type { Problem } from './problems';
import { answerTags, findTimestamp, withoutAnswerTags } from './text';

/** Replace `length` characters at `offset` with `newText`. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

/** A fix: a title for the light bulb and its edits. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** The problems a fix exists for (cheap test, before any parsing). */
export function hasFix(p: Pick<Problem, 'code' | 'data' | 'path'>): boolean {
  if (!p.path) return false;
  if (p.code === 'answer-missing-tags') return p.data?.fix === 'wrap-answer';
  if (p.code === 'timestamp-out-of-range') return p.data?.fix === 'clamp-end';
  if (p.code === 'empty-answer') return p.path.length === 4 && p.path[1] === 'GRPO' && p.path[3] === 'a';
  return false;
}

/** The fix for a problem against the file's current text, or null when none applies any more. */
export function fixFor(
  text: string,
  p: Pick<Problem, 'code' | 'data' | 'path'>,
  tree: Node | undefined = parseTree(text),
): Fix | null {
  if (!tree || !p.path || !hasFix(p)) return null;
  const node = findNodeAtLocation(tree, p.path as (string | number)[]);
  if (!node) return null;
  if (p.code === 'answer-missing-tags') {
    if (node.type !== 'string') return null;
    const s = node.value as string;
    const { open, close } = answerTags(s);
    if (open && close) return null;
    const body = s.trim();
    const wrapped = !open && !close ? `<answer>${body}</answer>` : !open ? `<answer>${body}` : `${body}</answer>`;
    return {
      title:
        !open && !close
          ? 'Wrap the answer in <answer>…</answer>'
          : !open
            ? 'Add the missing <answer> tag'
            : 'Close the <answer> tag',
      edits: [replaceNode(node, JSON.stringify(wrapped))],
    };
  }
  if (p.code === 'timestamp-out-of-range') {
    const duration = p.data?.duration;
    if (typeof duration !== 'number' || node.type !== 'array' || node.children?.length !== 2) return null;
    const [start, end] = node.children;
    if (start.type !== 'number' || end.type !== 'number' || (end.value as number) <= duration) return null;
    // Clamping a span that starts at or after the end of the video would leave start >= end.
    if ((start.value as number) >= duration) return null;
    const edits = [replaceNode(end, String(duration))];
    // Answerable GT answers of the same entry that spell the old span follow the clamp.
    if (p.path.length === 2 && p.path[1] === 'timestamp') {
      const grpo = findNodeAtLocation(tree, [p.path[0], 'GRPO']);
      for (const q of grpo?.type === 'array' ? (grpo.children ?? []) : []) {
        const r = findNodeAtLocation(q, ['r']);
        const a = findNodeAtLocation(q, ['a']);
        if (!r || getNodeValue(r) !== true || a?.type !== 'string') continue;
        const next = withEnd(a.value as string, start.value as number, end.value as number, duration);
        if (next !== null) edits.push(replaceNode(a, JSON.stringify(next)));
      }
    }
    return { title: `Clamp the end to the duration (${duration})`, edits };
  }
  if (p.code === 'empty-answer') {
    if (node.type !== 'string' || withoutAnswerTags(node.value as string).trim() !== '') return null;
    const [i, , j] = p.path;
    const r = findNodeAtLocation(tree, [i, 'GRPO', j, 'r']);
    const ts = findNodeAtLocation(tree, [i, 'timestamp']);
    if (!r || getNodeValue(r) !== true || !ts) return null;
    const span = getNodeValue(ts) as unknown;
    if (!Array.isArray(span) || span.length !== 2 || !span.every((x) => typeof x === 'number')) return null;
    return {
      title: `Fill the answer from the entry's timestamp (${span[0]} to ${span[1]})`,
      edits: [replaceNode(node, JSON.stringify(`<answer>${span[0]} to ${span[1]}</answer>`))],
    };
  }
  return null;
}

/** The answer with the end of its first `X to Y` set to `duration`, when that span is [start, end]; else null. */
function withEnd(answer: string, start: number, end: number, duration: number): string | null {
  const m = findTimestamp(answer);
  if (!m || m.span[0] !== start || m.span[1] !== end) return null;
  const at = m.index + m.startText.length + m.separator.length;
  return answer.slice(0, at) + String(duration) + answer.slice(at + m.endText.length);
}

function replaceNode(node: Node, newText: string): TextEdit {
  return { offset: node.offset, length: node.length, newText };
}

/**
 * Every fix for the problems of one code in a file, against one parse of the text: what
 * "fix all of this kind" offers. A fix whose edits overlap an earlier one's is left out (it
 * would be computed on text the earlier fix changes); running it again picks it up.
 */
export function fixesOfKind(
  text: string,
  problems: readonly Pick<Problem, 'code' | 'data' | 'path'>[],
  code: Problem['code'],
): Fix[] {
  const wanted = problems.filter((p) => p.code === code && hasFix(p));
  if (!wanted.length) return [];
  const tree = parseTree(text);
  const taken: [number, number][] = [];
  const out: Fix[] = [];
  for (const p of wanted) {
    const fix = fixFor(text, p, tree);
    if (!fix) continue;
    const ranges = fix.edits.map((e): [number, number] => [e.offset, e.offset + e.length]);
    if (ranges.some(([a, b]) => taken.some(([c, d]) => a < d && c < b) || taken.some(([c]) => c === a))) continue;
    taken.push(...ranges);
    out.push(fix);
  }
  return out;
}

/** Applies edits to a text (for tests and the CLI); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset))
    out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}
