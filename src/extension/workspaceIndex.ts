/**
 * The workspace's HI-VTG files, indexed off the UI path with core (async, yielding between
 * files), kept up to date from file and editor changes (debounced), with run items judged
 * and bucketed for the Runs view.
 */
import * as vscode from 'vscode';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkJoins, indexText, type IndexedFile } from '../core/dataset/indexer';
import { placeProblems } from '../core/dataset/place';
import { buildBrowseIndex, judgeRuns, type BrowseIndex } from '../core/inspect/runIndex';
import type { Problem } from '../core/problems';
import { DisposableBase } from './disposable';

export type IndexState = 'idle' | 'indexing' | 'ready' | 'failed';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.rarft-cache/**,**/.vscode-test/**,**/.e2e/**,**/dist/**}';
const MAX_BYTES = 512 * 1024 * 1024;
const NAME_HINT = /(hi_vtg|anno|inference_results|metrics_items)/i;

/** True when a JSON text may be one of ours: an array mentioning our keys, or one of our file names. */
export function mayBeOurs(path: string, text: string): boolean {
  const head = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!head.startsWith('[')) return false;
  return (
    NAME_HINT.test(basename(path)) ||
    /"(GRPO|model_output|query_text)"/.test(head) ||
    text.includes('"GRPO"') ||
    text.includes('"model_output"')
  );
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** The index of the open workspace. */
export class WorkspaceIndex extends DisposableBase {
  private readonly files = new Map<string, IndexedFile>();
  private joinProblems = new Map<string, Problem[]>();
  private browseIndex: BrowseIndex = buildBrowseIndex([]);
  private stateValue: IndexState = 'idle';
  private started: Promise<void> | null = null;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  private readonly stateChanged = this.own(new vscode.EventEmitter<IndexState>());
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

  /** Reindexes every JSON file of the workspace. */
  async reindexAll(): Promise<void> {
    const gen = ++this.generation;
    this.setState('indexing');
    const t0 = Date.now();
    try {
      const uris = await vscode.workspace.findFiles('**/*.json', EXCLUDE, 50000);
      const next = new Map<string, IndexedFile>();
      let slice = Date.now();
      for (const u of uris.filter((x) => x.scheme === 'file').sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
        if (gen !== this.generation || this.isDisposed) return;
        const f = await this.indexOne(u.fsPath);
        if (f) next.set(u.fsPath, f);
        if (Date.now() - slice > 15) {
          await yieldToLoop();
          slice = Date.now();
        }
      }
      if (gen !== this.generation) return;
      this.files.clear();
      for (const [k, v] of next) this.files.set(k, v);
      await this.rebuild(gen);
      this.log.info(`indexed ${this.files.size} HI-VTG files in ${Date.now() - t0} ms`);
    } catch (e) {
      this.log.error(`indexing failed: ${(e as Error)?.stack ?? e}`);
      if (gen === this.generation) this.setState('failed');
    }
  }

  private schedule(path: string, delay = 300): void {
    if (!path.toLowerCase().endsWith('.json')) return;
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  private async flush(): Promise<void> {
    if (!this.started) return; // nothing indexed yet: the first index will see the change
    const paths = [...this.pending];
    this.pending.clear();
    const gen = ++this.generation;
    this.setState('indexing');
    try {
      for (const p of paths) {
        const f = await this.indexOne(p);
        if (f) this.files.set(p, f);
        else this.files.delete(p);
      }
      if (gen === this.generation) await this.rebuild(gen);
    } catch (e) {
      this.log.error(`reindexing ${paths.join(', ')} failed: ${(e as Error)?.stack ?? e}`);
      if (gen === this.generation) this.setState('failed');
    }
  }

  private async textOf(path: string): Promise<string | null> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    if (doc?.isDirty) return doc.getText();
    try {
      const st = await stat(path);
      if (!st.isFile() || st.size > MAX_BYTES) return null;
      return await readFile(path, 'utf8');
    } catch {
      return null;
    }
  }

  private async indexOne(path: string): Promise<IndexedFile | null> {
    const text = await this.textOf(path);
    if (text === null || !mayBeOurs(path, text)) return null;
    const f = indexText(path, text);
    return f.kind === 'other' || f.kind === 'metrics' ? null : f;
  }

  private async rebuild(gen: number): Promise<void> {
    const files = [...this.files.values()];
    const joins = new Map<string, Problem[]>();
    for (const [file, pending] of checkJoins(files)) {
      const text = await this.textOf(file.path);
      if (text !== null) joins.set(file.path, placeProblems(file.path, text, pending));
    }
    const browse = buildBrowseIndex(files);
    // Judgments of unchanged run files are kept (same IndexedFile object).
    for (const f of files) {
      const old = this.browseIndex.runs.get(f);
      if (old) browse.runs.set(f, old);
    }
    await judgeRuns(browse);
    if (gen !== this.generation) return;
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
