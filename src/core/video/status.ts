/**
 * Where a sample's video stands, as stable codes: the inspector (host and page) and the tests act on
 * `state` and `code`; `message` is for people only. One function writes every message. Pure (the
 * webview bundle imports it too).
 */
/** States of the video element, as the e2e tests read them from `data-state`. */
export type VideoState = 'loading' | 'playable' | 'transcoding' | 'missing' | 'error' | 'no-ffmpeg';

/** Why the video is in its state. */
export type VideoCode =
  | 'looking'
  | 'no-video-named'
  | 'not-found'
  | 'not-in-mapped-folder'
  | 'opening-folder'
  | 'direct'
  | 'unprobed'
  | 'probe-failed'
  | 'cached-conversion'
  | 'converting'
  | 'converted'
  | 'conversion-cancelled'
  | 'conversion-failed'
  | 'needs-ffmpeg'
  | 'playable'
  | 'cannot-play'
  | 'cannot-play-no-ffmpeg';

/** A video's status without where to play it from (the host adds a webview `src`). */
export interface VideoStatusInfo {
  state: VideoState;
  code: VideoCode;
  /** For people: what is going on, what to do. */
  message: string;
  /** Conversion progress 0..1 (`converting`). */
  progress?: number;
  /** The recorded folder can be mapped with `rarft.videoRoots` (offer the button). */
  canMap?: boolean;
}

/** What a message may name. */
export interface VideoDetail {
  /** The path recorded in the data. */
  recorded?: string;
  /** The recorded folder (`recordedFolder` of roots.ts) a mapping would cover. */
  folder?: string;
  /** The local file. */
  file?: string;
  /** A mapping that did not hold the file: recorded prefix → local folder. */
  mapped?: { prefix: string; folder: string };
  /** A remux (container or audio only) or a full transcode. */
  plan?: 'remux' | 'transcode';
  progress?: number;
  /** An error's own message. */
  error?: string;
}

const conversion = (d: VideoDetail) => (d.plan === 'remux' ? 'remux' : 'H.264 transcode');
const FFMPEG_HINT = 'Install ffmpeg (or set rarft.video.ffmpegPath)';

function describe(code: VideoCode, d: VideoDetail): Omit<VideoStatusInfo, 'code'> {
  switch (code) {
    case 'looking':
      return { state: 'loading', message: 'Looking for the video…' };
    case 'no-video-named':
      return { state: 'missing', message: 'This sample names no video.' };
    case 'not-found':
      return {
        state: 'missing',
        canMap: true,
        message: `Video not found: ${d.recorded}. Map its folder ${d.folder} to a local folder (setting rarft.videoRoots).`,
      };
    case 'not-in-mapped-folder':
      return {
        state: 'missing',
        canMap: true,
        message: `Video not found: ${d.recorded} is not in ${d.mapped?.folder}, the local folder ${d.mapped?.prefix} is mapped to (setting rarft.videoRoots).`,
      };
    case 'opening-folder':
      return { state: 'loading', message: 'Opening the video folder…' };
    case 'direct':
      return { state: 'loading', message: 'Loading the video…' };
    case 'unprobed':
      return {
        state: 'loading',
        message: 'ffprobe not found: playing the file as it is (install ffmpeg to transcode what cannot play).',
      };
    case 'probe-failed':
      return { state: 'error', message: `Could not read the video: ${d.error}` };
    case 'cached-conversion':
      return { state: 'loading', message: `Playing a cached ${conversion(d)} of ${d.file}.` };
    case 'converting':
      return d.progress
        ? {
            state: 'transcoding',
            progress: d.progress,
            message: `Converting to H.264 MP4: ${Math.round(d.progress * 100)}%`,
          }
        : { state: 'transcoding', progress: 0, message: `Converting ${d.file} to H.264 MP4 (once; cached)…` };
    case 'converted':
      return { state: 'loading', message: `Playing a ${conversion(d)} of ${d.file}.` };
    case 'conversion-cancelled':
      return { state: 'error', message: 'Conversion cancelled. Use Retry to start it again.' };
    case 'conversion-failed':
      return { state: 'error', message: `Conversion failed: ${d.error}` };
    case 'needs-ffmpeg':
      return {
        state: 'no-ffmpeg',
        message: `This video needs converting and ffmpeg was not found. ${FFMPEG_HINT}; the rest of the inspector works without it.`,
      };
    case 'playable':
      return { state: 'playable', message: '' };
    case 'cannot-play':
      return { state: 'error', message: `The webview cannot play this video (${d.error || 'no reason given'}).` };
    case 'cannot-play-no-ffmpeg':
      return {
        state: 'no-ffmpeg',
        message: `The webview cannot play this video and ffmpeg was not found to convert it. ${FFMPEG_HINT}.`,
      };
    default: {
      const never: never = code;
      throw new Error(`unknown video status code ${String(never)}`);
    }
  }
}

/** The status for a code, with its message written from `detail`. */
export function videoStatus(code: VideoCode, detail: VideoDetail = {}): VideoStatusInfo {
  return { code, ...describe(code, detail) };
}

/** What the page does when the element fails to play what it was given: convert it if ffmpeg can, else say why. */
export function cannotPlay(previous: VideoCode | undefined, error: string): VideoStatusInfo {
  return previous === 'unprobed' ? videoStatus('cannot-play-no-ffmpeg') : videoStatus('cannot-play', { error });
}
