/**
 * The workspace's HI-VTG files, indexed off the UI path by core's one indexing routine
 * (dataset/indexFiles: the same kinds, problems and skipped folders as `rarft index`), fed
 * open editors' unsaved text, kept up to date from file and editor changes (debounced), with
 * run items judged and bucketed for the Runs view.
 */
import * as vscode from 'vscode';
import { summarize, type IndexedFile, type IndexResult } from '../core/dataset/indexer';
import { indexFoundFiles, indexOnePath, placeJoins, readFromDisk } from '../core/dataset/indexFiles';
import { findJsonFiles, isJsonName, isSkippedPath, type FoundFile, type SkippedPath } from '../core/dataset/walk';
import { buildBrowseIndex, judgeRuns, type BrowseIndex } from '../core/inspect/runIndex';
import type { Problem } from '../core/problems';
import { DisposableBase } from './disposable';

export type IndexState = 'idle' | 'indexing' | 'ready' | 'failed';

/** Options of a full re-index (Show Index Summary passes its progress and cancellation). */
export interface ReindexOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
}

/** The index of the open workspace. */
export class WorkspaceIndex extends DisposableBase {
  private readonly files = new Map<string, IndexedFile>();
  private joinProblems = new Map<string, Problem[]>();
  private skips = new Map<string, SkippedPath>();
  private superseded: AbortController | undefined;
  private browseIndex: BrowseIndex = buildBrowseIndex([]);
  private stateValue: IndexState = 'idle';
  private started: Promise<void> | null = null;
  private pending = new Set<string>();
  private flushing = false;
  /** Full indexes running (a change must not cancel the first index: it would lose every other file). */
  private fullRuns = 0;
  /** Files or skips changed since the browse index was last built from them. */
  private unbuilt = false;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  private readonly stateChanged = this.own(new vscode.EventEmitter<IndexState>());
  /** A re-index pass that found nothing of ours changed (no rebuild, no `onDidChange`). */
  private readonly unchanged = this.own(new vscode.EventEmitter<void>());
  /** Fires after every (re)index with the new data. */
  readonly onDidChange = this.changed.event;
  /** Fires when indexing starts or ends. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    const watcher = this.own(vscode.workspace.createFileSystemWatcher('**/*.json'));
    this.own(watcher.onDidCreate((u) => this.schedule(u.fsPath)));
    this.own(watcher.onDidChange((u) => this.schedule(u.fsPath)));
    this.own(watcher.onDidDelete((u) => this.schedule(u.fsPath)));
    this.own(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && e.document.uri.scheme === 'file' && this.files.has(e.document.uri.fsPath))
          this.schedule(e.document.uri.fsPath, 400);
      }),
    );
    this.own(
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.files.has(d.uri.fsPath)) this.schedule(d.uri.fsPath);
      }),
    );
    this.own(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reindexAll()));
  }

  get state(): IndexState {
    return this.stateValue;
  }

  /** The joined, judged data (empty until the first index finishes). */
  get browse(): BrowseIndex {
    return this.browseIndex;
  }

  /** Starts the first index (once); resolves when it is done. */
  ensureStarted(): Promise<void> {
    this.started ??= this.reindexAll();
    return this.started;
  }

  /** Problems of one file, its own and its join problems. */
  problemsOf(path: string): Problem[] {
    const f = this.files.get(path);
    return f ? [...f.problems, ...(this.joinProblems.get(path) ?? [])] : [];
  }

  /** Every indexed path. */
  paths(): string[] {
    return [...this.files.keys()];
  }

  /** Totals of problems by severity. */
  problemCounts(): { error: number; warning: number; info: number } {
    const c = { error: 0, warning: 0, info: 0 };
    for (const p of this.files.keys()) for (const pr of this.problemsOf(p)) c[pr.severity]++;
    return c;
  }

  /** Files and folders left out of the last index, and why. */
  skipped(): SkippedPath[] {
    return [...this.skips.values()];
  }

  /** The index as `rarft index` reports it: files (join problems included), totals, skips. */
  summary(): IndexResult {
    const files = [...this.files.values()].map((f) => ({
      ...f,
      problems: [...f.problems, ...(this.joinProblems.get(f.path) ?? [])],
    }));
    return summarize(files, this.skipped());
  }

  /** Reindexes every JSON file of the workspace folders with core's routine. */
  async reindexAll(options: ReindexOptions = {}): Promise<void> {
    const gen = this.bump();
    this.setState('indexing');
    this.fullRuns++;
    const t0 = Date.now();
    try {
      const found: FoundFile[] = [];
      const skips: SkippedPath[] = [];
      for (const root of this.roots()) {
        try {
          const w = await findJsonFiles([root], options.signal);
          found.push(...w.files);
          skips.push(...w.skipped);
        } catch (e) {
          if ((e as Error)?.name === 'AbortError') throw e;
          skips.push({ path: root, reason: (e as Error).message });
        }
      }
      if (gen !== this.generation || this.isDisposed) return;
      const signal = this.stale(options.signal);
      const r = await indexFoundFiles(found, { read: this.read, signal, onProgress: options.onProgress });
      if (gen !== this.generation) return;
      this.files.clear();
      for (const f of r.files) this.files.set(f.path, f);
      this.skips = new Map([...skips, ...r.skipped].map((k) => [k.path, k]));
      this.unbuilt = true;
      await this.rebuild(gen);
      this.log.info(`indexed ${this.files.size} HI-VTG files in ${Date.now() - t0} ms`);
      for (const k of this.skips.values()) this.log.info(`skipped ${k.path}: ${k.reason}`);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') {
        if (gen === this.generation) this.setState(this.started ? 'ready' : 'idle');
        if (options.signal?.aborted) throw e;
        return;
      }
      this.log.error(`indexing failed: ${(e as Error)?.stack ?? e}`);
      if (gen === this.generation) this.setState('failed');
    } finally {
      // Changes that arrived during the full index were held back (flush): read them now.
      if (--this.fullRuns === 0 && this.pending.size) void this.flush();
    }
  }

  private roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** An abort signal that fires when the caller cancels or a newer index starts (see `bump`). */
  private stale(outer?: AbortSignal): AbortSignal {
    const c = new AbortController();
    this.superseded = c;
    if (outer?.aborted) c.abort(outer.reason);
    else outer?.addEventListener('abort', () => c.abort(outer.reason), { once: true });
    return c.signal;
  }

  /** Starts a new generation: whatever index is running stops at its next file. */
  private bump(): number {
    this.superseded?.abort();
    this.superseded = undefined;
    return ++this.generation;
  }

  /**
   * Re-indexes one path now (after an edit of ours) and resolves once an index that read it is
   * out (`onDidChange` has fired for it), a pass found nothing of ours changed, or indexing failed.
   */
  refresh(path: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const subs: vscode.Disposable[] = [];
      const done = () => {
        for (const d of subs) d.dispose();
        resolve();
      };
      subs.push(this.onDidChange(() => !this.pending.has(path) && done()));
      subs.push(this.unchanged.event(() => !this.pending.has(path) && done()));
      subs.push(this.onDidChangeState((s) => s === 'failed' && done()));
      this.pending.add(path);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), 0);
    });
  }

  private schedule(path: string, delay = 300): void {
    if (!isJsonName(path)) return;
    const root = this.roots().find((r) => path.startsWith(r));
    if (isSkippedPath(path, root)) return;
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  /**
   * Re-indexes the changed paths, one pass at a time: a change that arrives during a pass waits for
   * it and is read after it, so an older read can never be stored over a newer one.
   */
  private async flush(): Promise<void> {
    if (!this.started) return; // nothing indexed yet: the first index will see the change
    if (this.flushing) return; // the running pass takes what is pending when it ends
    if (this.fullRuns) {
      this.log.info(`${this.pending.size} changed file(s) wait for the full index`);
      return;
    } // a full index is reading every file: it flushes what is pending when it ends
    this.flushing = true;
    try {
      while (this.pending.size) await this.flushPass();
    } finally {
      this.flushing = false;
    }
  }

  private async flushPass(): Promise<void> {
    const paths = [...this.pending];
    this.pending.clear();
    const gen = this.bump();
    this.setState('indexing');
    const t0 = Date.now();
    try {
      for (const p of paths) {
        const r = await indexOnePath(p, this.read);
        // A JSON file that is none of ours, before and after (.vscode/settings.json, a package.json), changes nothing.
        if (this.files.has(p) || this.skips.has(p) || r.file) this.unbuilt = true;
        this.skips.delete(p);
        if (r.file) this.files.set(p, r.file);
        else this.files.delete(p);
        // A deleted file is simply gone; anything else left out is noted as the full index notes it.
        if (r.skipped && !/no such file/.test(r.skipped.reason)) {
          this.skips.set(p, r.skipped);
          this.unbuilt = true;
        }
      }
      if (gen === this.generation && !this.unbuilt) {
        // Nothing to rebuild or redraw: a rebuild would refresh every view (and drop a tree
        // selection made in that moment, seen once in the e2e runs after a settings.json write).
        this.setState('ready');
        this.log.debug(`${paths.length} changed JSON file(s), none of them ours: nothing re-indexed`);
        this.unchanged.fire();
        return;
      }
      if (gen === this.generation) await this.rebuild(gen);
      this.log.info(
        `re-indexed ${paths.length} changed file(s) in ${Date.now() - t0} ms${gen === this.generation ? '' : ' (superseded)'}`,
      );
    } catch (e) {
      this.log.error(`reindexing ${paths.join(', ')} failed: ${(e as Error)?.stack ?? e}`);
      if (gen === this.generation) this.setState('failed');
    }
  }

  /**
   * An open document's text, else the file on disk. The document wins even when VS Code says it is
   * not dirty: a save started before an undo (files.refactoring.autoSave after a quick fix) can
   * finish after it, leaving the disk one edit behind a clean-looking editor.
   */
  private readonly read = async (path: string): Promise<string> => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    return doc ? doc.getText() : readFromDisk(path);
  };

  private async rebuild(gen: number): Promise<void> {
    const files = [...this.files.values()];
    const joins = new Map<string, Problem[]>();
    try {
      for (const [file, problems] of await placeJoins(files, this.read)) joins.set(file.path, problems);
    } catch (e) {
      // A file deleted since it was indexed: its watcher event re-indexes it.
      this.log.warn(`join problems not placed: ${(e as Error).message}`);
    }
    const browse = buildBrowseIndex(files);
    // Judgments of unchanged run files are kept (same IndexedFile object).
    for (const f of files) {
      const old = this.browseIndex.runs.get(f);
      if (old) browse.runs.set(f, old);
    }
    await judgeRuns(browse);
    if (gen !== this.generation) return;
    this.unbuilt = false;
    this.joinProblems = joins;
    this.browseIndex = browse;
    this.setState('ready');
    this.changed.fire();
  }

  private setState(s: IndexState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.stateChanged.fire(s);
  }
}
