/**
 * Host <-> inspector webview messages: one union per direction, string `type`s. Requests carry an
 * `id`; the host answers each with one `reply` whose `replyTo` is that id, and the page matches
 * replies to its pending requests (webview/inspector/requests.ts). Both sides import this module;
 * the host validates every message from the webview with `parseViewMessage` before acting on it.
 * Codes (`VideoStatus.code`, reward and judgment note codes) are for code; texts are for people.
 */
import type { SampleChange } from '../core/curation/sampleChange';
import type { ComparedRun, SampleRef, SampleView } from '../core/inspect/sampleTypes';
import type { RewardNote, Rewards } from '../core/rewards/rewards';
import type { VideoState, VideoStatusInfo } from '../core/video/status';

export type { ComparedRun, RewardNote, Rewards, SampleChange, SampleRef, SampleView, VideoState };

/** Where the video stands (state and code from core), plus `src` (a webview URI) once there is something to play. */
export interface VideoStatus extends VideoStatusInfo {
  src?: string;
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
/** The answer to the request whose `id` is `replyTo`. */
export interface ReplyMessage {
  type: 'reply';
  replyTo: number;
  ok: boolean;
  /** For people, when `ok` is false. */
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
/** The user clicked another query of the same video (request: the reply says whether it is shown). */
export interface SampleSelectMessage {
  type: 'sample/select';
  id: number;
  ref: SampleRef;
}
/** Offer to map the recorded video folder to a local one (request: the reply says whether it was mapped). */
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

/**
 * Change one field of the shown annotation query (or its entry's GT span) in its document, as one
 * undoable edit (request: the reply says whether it was applied, or why not). The host replies
 * after the index has the edited text, so the page has been repainted from the document by then.
 */
export interface SampleEditMessage {
  type: 'sample/edit';
  id: number;
  ref: SampleRef;
  change: SampleChange;
}
/** The fields the host can ask for in its own input (quick pick or input box), launched from the page. */
export type EditableField = 'q' | 'a' | 'r' | 'difficulty' | 'c';
/** Ask the host to edit a field with a VS Code input (request: ok when applied; not ok without an error when cancelled). */
export interface SampleEditFieldMessage {
  type: 'sample/editField';
  id: number;
  ref: SampleRef;
  field: EditableField;
}

export type ViewMessage =
  | ReadyMessage
  | SampleEditMessage
  | SampleEditFieldMessage
  | SampleSelectMessage
  | VideoMapRootMessage
  | VideoRetryMessage
  | VideoFailedMessage
  | SampleRevealMessage
  | RenderTimingMessage;

/** The webview messages that expect a `reply`. */
export type ViewRequest = Extract<ViewMessage, { id: number }>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;

/** Validates a sample reference from untrusted data; null when it is not one. */
export function parseSampleRef(v: unknown): SampleRef | null {
  if (!isObj(v) || (v.kind !== 'query' && v.kind !== 'item')) return null;
  if (!isStr(v.file) || v.file === '' || !isStr(v.video) || !isStr(v.query, 100_000) || !isInt(v.nth)) return null;
  return { kind: v.kind, file: v.file, video: v.video, query: v.query, nth: v.nth };
}

const isSpan = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Validates the runs' predictions passed with a compared sample (`rarft.inspectSample`'s second argument). */
export function parseComparedRuns(v: unknown): ComparedRun[] | undefined {
  if (!Array.isArray(v) || v.length > 2) return undefined;
  const runs: ComparedRun[] = [];
  for (const r of v) {
    if (!isObj(r) || (r.side !== 'A' && r.side !== 'B') || !isStr(r.label, 1000)) return undefined;
    if (r.span !== null && !isSpan(r.span)) return undefined;
    if (r.outcome !== null && !isStr(r.outcome, 64)) return undefined;
    runs.push({ side: r.side, label: r.label, span: r.span, outcome: r.outcome });
  }
  return runs;
}

const FIELDS: readonly EditableField[] = ['q', 'a', 'r', 'difficulty', 'c'];

/** Validates a change from the webview (the value's type per field; the span's sense is the host's check). */
function parseChange(v: unknown): SampleChange | null {
  if (!isObj(v)) return null;
  const x = v.value;
  switch (v.field) {
    case 'span':
      return isSpan(x) ? { field: 'span', value: [x[0], x[1]] } : null;
    case 'q':
    case 'a':
      return isStr(x, 100_000) ? { field: v.field, value: x } : null;
    case 'difficulty':
      return isStr(x, 100) ? { field: 'difficulty', value: x } : null;
    case 'r':
      return typeof x === 'boolean' ? { field: 'r', value: x } : null;
    case 'c':
      return Array.isArray(x) && x.length <= 100 && x.every((c) => isStr(c, 200))
        ? { field: 'c', value: [...x] as string[] }
        : null;
    default:
      return null;
  }
}

type Parsers = { [K in ViewMessage['type']]: (v: Record<string, unknown>) => Extract<ViewMessage, { type: K }> | null };

/** One parser per webview message type: a new message type does not compile until it has one. */
const PARSERS: Parsers = {
  ready: () => ({ type: 'ready' }),
  'video/retry': () => ({ type: 'video/retry' }),
  'sample/reveal': () => ({ type: 'sample/reveal' }),
  'sample/select': (v) => {
    const ref = parseSampleRef(v.ref);
    return isInt(v.id) && ref ? { type: 'sample/select', id: v.id, ref } : null;
  },
  'sample/edit': (v) => {
    const ref = parseSampleRef(v.ref);
    const change = parseChange(v.change);
    return isInt(v.id) && ref && change ? { type: 'sample/edit', id: v.id, ref, change } : null;
  },
  'sample/editField': (v) => {
    const ref = parseSampleRef(v.ref);
    const field = FIELDS.find((f) => f === v.field);
    return isInt(v.id) && ref && field ? { type: 'sample/editField', id: v.id, ref, field } : null;
  },
  'video/mapRoot': (v) => (isInt(v.id) ? { type: 'video/mapRoot', id: v.id } : null),
  'video/failed': (v) =>
    isInt(v.code) && isStr(v.message, 1000) ? { type: 'video/failed', code: v.code, message: v.message } : null,
  'render/timing': (v) =>
    typeof v.ms === 'number' && Number.isFinite(v.ms) && v.ms >= 0 ? { type: 'render/timing', ms: v.ms } : null,
};

/** Validates a message from the webview; null for anything malformed or unknown. */
export function parseViewMessage(v: unknown): ViewMessage | null {
  if (!isObj(v) || typeof v.type !== 'string' || !Object.hasOwn(PARSERS, v.type)) return null;
  return PARSERS[v.type as ViewMessage['type']](v);
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
