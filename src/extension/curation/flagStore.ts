/** The workspace's flags (`.rarft/flags.json` in the first folder), kept in memory and reloaded when the file changes. */
import * as vscode from 'vscode';
import { CurationError } from '../../core/curation/annoDoc';
import { flagFileName, readFlags, updateFlags, type Flag } from '../../core/curation/flags';
import { DisposableBase } from '../disposable';

/** Reads, watches and writes the flags sidecar. */
export class FlagStore extends DisposableBase {
  private flags: Flag[] = [];
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private loading: Promise<void> | null = null;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    const watcher = this.own(vscode.workspace.createFileSystemWatcher('**/.rarft/flags.json'));
    // Debounced: a file written in steps (created empty, then filled) is read once, after the last event.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reload = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.load(), 150);
    };
    this.own({ dispose: () => clearTimeout(timer) });
    this.own(watcher.onDidChange(reload));
    this.own(watcher.onDidCreate(reload));
    this.own(watcher.onDidDelete(reload));
    this.own(vscode.workspace.onDidChangeWorkspaceFolders(reload));
    void this.load();
  }

  /** The folder flags.json lives under (the first workspace folder), or undefined without one. */
  get root(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  /** Resolves when the flags have been read at least once. */
  ready(): Promise<void> {
    return this.loading ?? this.load();
  }

  private load(): Promise<void> {
    const root = this.root;
    this.loading = (async () => {
      try {
        this.flags = root ? await readFlags(root) : [];
      } catch (e) {
        // A malformed file is shown, never silently replaced by an empty one.
        this.log.error(`flags: ${(e as Error).message}`);
        if (e instanceof CurationError) void vscode.window.showErrorMessage(`RA-RFT: ${e.message}`);
      }
      this.changed.fire();
    })();
    return this.loading;
  }

  /** Every flag. */
  all(): readonly Flag[] {
    return this.flags;
  }

  /** The name flags use for a data file of the workspace. */
  fileName(path: string): string {
    return this.root ? flagFileName(this.root, path) : path;
  }

  /** Tags on a sample: its own and its whole video's; `file` undefined matches any file (run items). */
  tagsOf(video: string, query: string, file?: string): string[] {
    const name = file === undefined ? undefined : this.fileName(file);
    const out: string[] = [];
    for (const f of this.flags)
      if (f.video === video && (f.query === null || f.query === query) && (name === undefined || f.file === name))
        if (!out.includes(f.tag)) out.push(f.tag);
    return out;
  }

  /** The distinct tags in use, sorted. */
  tags(): string[] {
    return [...new Set(this.flags.map((f) => f.tag))].sort();
  }

  /** Changes the flags on disk (atomically) and in memory. */
  async update(change: (flags: Flag[]) => Flag[]): Promise<void> {
    const root = this.root;
    if (!root) throw new Error('open a folder first: flags are kept in its .rarft/flags.json');
    this.flags = await updateFlags(root, change);
    this.changed.fire();
  }
}
