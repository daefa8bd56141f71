// Types for makeSampleWorkspace.mjs (imported by the end-to-end tests).
export declare const RUN_NAME: string;
export declare const DATA_VIDEO_ROOT: string;
export declare const FIXTURE_VIDEOS: Record<string, 'h264' | 'hevc'>;
export declare const MARKUP_QUERY: string;
export declare function makeSampleWorkspace(
  dir?: string,
  opts?: { force?: boolean; log?: (msg: string) => void },
): string;
