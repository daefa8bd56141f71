// Types for codeServer.mjs (imported by the end-to-end tests).
export declare const root: string;
export declare const codeServerEntry: string;
export declare function hasCodeServer(): boolean;
export declare function freePort(): Promise<number>;
export declare function packageVsix(opts?: { log?: (msg: string) => void }): string;
export declare function installExtension(opts: { vsix: string; userDataDir: string; extensionsDir: string }): void;
export interface CodeServer {
  url: string;
  folderUrl: string;
  pid: number;
  stop(): Promise<void>;
}
export declare function startCodeServer(opts: {
  folder: string;
  port?: number;
  userDataDir: string;
  extensionsDir: string;
  onOutput?: (text: string) => void;
  timeoutMs?: number;
}): Promise<CodeServer>;
