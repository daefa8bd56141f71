/**
 * Host <-> training-curves / rollouts webview messages (one bundle, two pages). One union per
 * direction with string `type`s; the host validates every message from a webview with
 * `parseCurvesViewMessage` before acting on it. Numbers travel by structured clone, so NaN and
 * ±Infinity arrive as such (drawn as gaps).
 */
import type { Alert } from '../core/logs/alerts';
import type { StepPoint } from '../core/logs/curves';
import type { GroupView } from '../core/logs/groups';
import type { LogValue, Progress } from '../core/logs/records';
import type { Span } from '../core/text';

export type { Alert, GroupView, LogValue, Progress, Span, StepPoint };

/** What the log's rollouts are drawn against: the GT of the annotation query with the same text. */
export interface GroundTruth {
  /** GT span; null for a refusable query or an entry without one. */
  span: Span | null;
  duration: number | null;
  /** The annotation says the query is answerable. */
  answerable: boolean | null;
  video: string;
}

/** A group with what the workspace annotations say about its query. */
export interface RolloutGroup extends GroupView {
  gt: GroundTruth | null;
  /** Why there is no GT: no annotation query with this text, or several that disagree. */
  gtNote?: string;
}

// ---- host → webview

/** The whole curve (first snapshot, or after the file was replaced / a resumed run rewrote steps). */
export interface CurvesResetMessage {
  type: 'curves/reset';
  /** Absolute path of the log (kept in the page state to restore it after a reload). */
  path: string;
  /** Workspace-relative path shown in the title. */
  file: string;
  steps: StepPoint[];
  progress: Progress | null;
  summary: Record<string, LogValue> | null;
  alerts: Alert[];
  groups: number;
  zeroVarianceGroups: number;
}
/** New or changed steps: drop the view's steps from index `from` on, then add these. */
export interface CurvesAppendMessage {
  type: 'curves/append';
  from: number;
  steps: StepPoint[];
  progress: Progress | null;
  summary: Record<string, LogValue> | null;
  alerts: Alert[];
  groups: number;
  zeroVarianceGroups: number;
}
/** The log cannot be read (missing, a folder, no permission). */
export interface CurvesErrorMessage {
  type: 'curves/error';
  path: string;
  message: string;
}
/** The groups of the log, newest last. */
export interface RolloutsShowMessage {
  type: 'rollouts/show';
  path: string;
  file: string;
  groups: RolloutGroup[];
  /** Groups before these that were left out (the view shows the newest). */
  omitted: number;
}

export type CurvesHostMessage = CurvesResetMessage | CurvesAppendMessage | CurvesErrorMessage | RolloutsShowMessage;

// ---- webview → host

/** The page is loaded and listening; the host answers with a snapshot. */
export interface CurvesReadyMessage {
  type: 'ready';
}
/** Open the rollouts page of this log. */
export interface OpenRolloutsMessage {
  type: 'rollouts/open';
}
/** Open the training curves page of this log. */
export interface OpenCurvesMessage {
  type: 'curves/open';
}

export type CurvesViewMessage = CurvesReadyMessage | OpenRolloutsMessage | OpenCurvesMessage;

/** Validates a message from a curves or rollouts webview; null for anything malformed or unknown. */
export function parseCurvesViewMessage(v: unknown): CurvesViewMessage | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const type = (v as { type?: unknown }).type;
  return type === 'ready' || type === 'rollouts/open' || type === 'curves/open' ? { type } : null;
}

/** UI state a page keeps with `setState`: which log (to restore after a reload) and which panels are hidden. */
export interface CurvesUiState {
  file: string;
  hidden: string[];
}

/** Reads a restored UI state; null when it does not name a file. */
export function parseCurvesUiState(v: unknown): CurvesUiState | null {
  if (typeof v !== 'object' || v === null) return null;
  const { file, hidden } = v as { file?: unknown; hidden?: unknown };
  if (typeof file !== 'string' || file === '' || file.length > 4096) return null;
  return {
    file,
    hidden: Array.isArray(hidden) ? hidden.filter((h): h is string => typeof h === 'string').slice(0, 500) : [],
  };
}
