/**
 * Host <-> inspector webview messages: one union per direction, string `type`s, requests with
 * an `id` and replies with `replyTo`. Both sides import this module; the host validates every
 * message from the webview with `parseViewMessage` before acting on it.
 */
import type { SampleRef, SampleView } from '../core/inspect/sampleTypes';
import type { Rewards } from '../core/rewards/rewards';

export type { Rewards, SampleRef, SampleView };

/** States of the video element, as the e2e tests read them from `data-state`. */
export const VIDEO_STATES = ['loading', 'playable', 'transcoding', 'missing', 'error', 'no-ffmpeg'] as const;
export type VideoState = (typeof VIDEO_STATES)[number];

/** Where the video stands; `src` (a webview URI) once there is something to play. */
export interface VideoStatus {
  state: VideoState;
  src?: string;
  /** Human explanation (missing file, ffmpeg error, transcode progress). */
  message?: string;
  /** Transcode progress 0..1. */
  progress?: number;
  /** The recorded path could be mapped with `rarft.videoRoots` (offer the button). */
  canMap?: boolean;
}

// ---- host → webview

/** Show a sample (the host's answer to `ready` and to every selection). */
export interface SampleShowMessage {
  type: 'sample/show';
  sample: SampleView;
  video: VideoStatus;
}
/** No sample selected, or the selected one disappeared. */
export interface SampleEmptyMessage {
  type: 'sample/empty';
  message: string;
}
/** The video of the shown sample changed state (probe, transcode, mapping). */
export interface VideoStatusMessage {
  type: 'video/status';
  /** Which sample's video (ignored when the view shows another by now). */
  video: string;
  status: VideoStatus;
}
/** Seek the player (from a host command). */
export interface TimelineSeekMessage {
  type: 'timeline/seek';
  time: number;
}
/** Rewards recomputed with the configured sentence model (explain, correction), for the shown sample. */
export interface SampleRewardsMessage {
  type: 'sample/rewards';
  ref: SampleRef;
  rewards: Rewards;
  /** The sentence model used (its folder name). */
  model: string;
}
/** Answer to a request from the webview. */
export interface ReplyMessage {
  type: 'reply';
  replyTo: number;
  ok: boolean;
  error?: string;
}

export type HostMessage =
  | SampleShowMessage
  | SampleEmptyMessage
  | VideoStatusMessage
  | TimelineSeekMessage
  | SampleRewardsMessage
  | ReplyMessage;

// ---- webview → host

/** The page is loaded and listening; the host answers with a snapshot. */
export interface ReadyMessage {
  type: 'ready';
}
/** The user clicked another query of the same video (request). */
export interface SampleSelectMessage {
  type: 'sample/select';
  id: number;
  ref: SampleRef;
}
/** Offer to map the recorded video folder to a local one (request). */
export interface VideoMapRootMessage {
  type: 'video/mapRoot';
  id: number;
}
/** Try the video again (after installing ffmpeg or adding files). */
export interface VideoRetryMessage {
  type: 'video/retry';
}
/** The element could not play what it was given (MediaError code and message). */
export interface VideoFailedMessage {
  type: 'video/failed';
  code: number;
  message: string;
}
/** Reveal the sample in its JSON file. */
export interface SampleRevealMessage {
  type: 'sample/reveal';
}
/** Time from `sample/show` arriving to the repaint, for the log. */
export interface RenderTimingMessage {
  type: 'render/timing';
  ms: number;
}

export type ViewMessage =
  | ReadyMessage
  | SampleSelectMessage
  | VideoMapRootMessage
  | VideoRetryMessage
  | VideoFailedMessage
  | SampleRevealMessage
  | RenderTimingMessage;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;

/** Validates a sample reference from untrusted data; null when it is not one. */
export function parseSampleRef(v: unknown): SampleRef | null {
  if (!isObj(v) || !isStr(v.file) || v.file === '') return null;
  if (v.kind === 'query' && isInt(v.entry) && isInt(v.query))
    return { kind: 'query', file: v.file, entry: v.entry, query: v.query };
  if (v.kind === 'item' && isInt(v.item)) return { kind: 'item', file: v.file, item: v.item };
  return null;
}

/** Validates a message from the webview; null for anything malformed or unknown. */
export function parseViewMessage(v: unknown): ViewMessage | null {
  if (!isObj(v) || typeof v.type !== 'string') return null;
  switch (v.type) {
    case 'ready':
    case 'video/retry':
    case 'sample/reveal':
      return { type: v.type };
    case 'sample/select': {
      const ref = parseSampleRef(v.ref);
      return isInt(v.id) && ref ? { type: 'sample/select', id: v.id, ref } : null;
    }
    case 'video/mapRoot':
      return isInt(v.id) ? { type: 'video/mapRoot', id: v.id } : null;
    case 'video/failed':
      return isInt(v.code) && isStr(v.message, 1000)
        ? { type: 'video/failed', code: v.code, message: v.message }
        : null;
    case 'render/timing':
      return typeof v.ms === 'number' && Number.isFinite(v.ms) && v.ms >= 0
        ? { type: 'render/timing', ms: v.ms }
        : null;
    default:
      return null;
  }
}

/** UI state the webview keeps with `setState` (never data: the host re-sends that). */
export interface InspectorUiState {
  ref: SampleRef | null;
  loop: boolean;
}

/** Compile-time exhaustiveness helper for message switches. */
export function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
