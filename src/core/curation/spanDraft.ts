/**
 * The arithmetic of editing a GT span by hand (the inspector's timeline): snapping to 0.1 s,
 * moving one edge or the whole span within the video, nudges, and the check a span must pass
 * before it is written. Pure: the webview and the host use the same rules.
 */
import type { Span } from '../text';

/** Snapping step of the timeline, in seconds. */
export const SNAP_S = 0.1;
/** The shortest span a drag leaves (snapped: one step; free: a millisecond). */
const MIN_FREE_S = 0.001;

/** Which part of the span moves: its start edge, its end edge, or all of it. */
export type SpanPart = 'start' | 'end' | 'body';

/** A time rounded to the snapping step (or to a millisecond when `free`), without float noise. */
export function snapTime(t: number, free = false): number {
  const step = free ? 1000 : 1 / SNAP_S;
  return Math.round(t * step) / step;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The span after moving `part` to time `t` (an edge) or by `t` seconds (the body), snapped unless
 * `free`, kept inside [0, duration] (no upper bound when the duration is unknown) and never shorter
 * than one step: a drag past the other edge stops at it.
 */
export function moveSpan(span: Span, part: SpanPart, t: number, duration: number | null, free = false): Span {
  const max = duration && duration > 0 ? duration : Number.POSITIVE_INFINITY;
  const gap = free ? MIN_FREE_S : SNAP_S;
  if (part === 'start') return [clamp(snapTime(t, free), 0, span[1] - gap), span[1]];
  if (part === 'end') return [span[0], clamp(snapTime(t, free), span[0] + gap, max)];
  const len = span[1] - span[0];
  const start = clamp(snapTime(span[0] + t, free), 0, Math.max(0, max - len));
  return [start, snapTime(start + len, true)];
}

/** The span after a keyboard nudge of one edge by `delta` seconds (±0.1, ±1), snapped and kept valid. */
export function nudgeSpan(span: Span, part: 'start' | 'end', delta: number, duration: number | null): Span {
  return moveSpan(span, part, (part === 'start' ? span[0] : span[1]) + delta, duration);
}

/**
 * Why a span cannot be written, for people; null when it can: both numbers finite, start not
 * negative, start before end, end not past the video's duration (when known).
 */
export function spanProblem(span: readonly [unknown, unknown], duration: number | null): string | null {
  const [s, e] = span;
  if (typeof s !== 'number' || !Number.isFinite(s)) return 'the start must be a number of seconds';
  if (typeof e !== 'number' || !Number.isFinite(e)) return 'the end must be a number of seconds';
  if (s < 0) return `the start must not be negative (got ${s} s)`;
  if (s >= e) return `the start must be before the end (got ${s} s to ${e} s)`;
  if (duration && duration > 0 && e > duration)
    return `the end must not be past the video's duration, ${duration} s (got ${e} s)`;
  return null;
}
