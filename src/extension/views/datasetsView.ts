/** The Datasets view: annotation files → videos → queries, filtered, lazily expanded, paged. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { IndexedFile } from '../../core/dataset/indexer';
import { joinKey, type QueryRecord, type VideoEntry } from '../../core/dataset/model';
import { BUCKET_LABELS } from '../../core/buckets';
import type { WorkspaceIndex } from '../workspaceIndex';
import { DisposableBase } from '../disposable';
import type { Filters } from './filters';
import { resolveQuery, queryRef } from '../../core/inspect/identity';
import {
  clip,
  type DatasetNode,
  type FileNode,
  paged,
  type SampleNode,
  sampleNode,
  unknownNode,
  type VideoNode,
} from './nodes';

/** Provides the Datasets tree. */
export class DatasetsProvider extends DisposableBase implements vscode.TreeDataProvider<DatasetNode> {
  private readonly changed = this.own(new vscode.EventEmitter<DatasetNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private videosCache = new WeakMap<IndexedFile, Map<string, number[]>>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly filters: Filters,
  ) {
    super();
    this.own(index.onDidChange(() => this.refresh()));
    this.own(filters.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  private videosOf(file: IndexedFile): Map<string, number[]> {
    let m = this.videosCache.get(file);
    if (!m) {
      m = new Map();
      (file.entries ?? []).forEach((e, pos) => {
        const list = m!.get(e.video);
        if (list) list.push(pos);
        else m!.set(e.video, [pos]);
      });
      this.videosCache.set(file, m);
    }
    return m;
  }

  private bucketOfQuery(video: string, q: QueryRecord) {
    const ref = this.index.browse.itemsByKey.get(joinKey(video, q.q))?.[0];
    return ref ? (this.index.browse.runs.get(ref.file)?.buckets[ref.position] ?? null) : null;
  }

  private passes(file: IndexedFile, e: VideoEntry, q: QueryRecord): boolean {
    if (!this.filters.active) return true;
    return this.filters.matches({
      file: file.path,
      query: q.q,
      video: e.video,
      difficulty: q.difficulty ?? (q.r ? 'original' : null),
      categories: q.categories,
      bucket: this.filters.state.bucket ? this.bucketOfQuery(e.video, q) : null,
    });
  }

  private countQueries(file: IndexedFile, entries: number[]): number {
    let n = 0;
    for (const pos of entries) {
      const e = file.entries![pos];
      if (!this.filters.active) n += e.queries.length;
      else for (const q of e.queries) if (this.passes(file, e, q)) n++;
    }
    return n;
  }

  async getChildren(node?: DatasetNode): Promise<DatasetNode[]> {
    if (!node) {
      void this.index.ensureStarted();
      return this.index.browse.files.filter((f) => f.kind === 'annotations').map((file) => ({ kind: 'file', file }));
    }
    if (node.kind === 'page') return node.children;
    if (node.kind === 'file') {
      const out: VideoNode[] = [];
      for (const [video, entries] of this.videosOf(node.file)) {
        if (this.filters.active && this.countQueries(node.file, entries) === 0) continue;
        out.push({ kind: 'video', file: node.file, video, entries });
      }
      return paged(node, out);
    }
    if (node.kind === 'video') {
      const out: SampleNode[] = [];
      for (const pos of node.entries) {
        const e = node.file.entries![pos];
        e.queries.forEach((q, k) => {
          if (this.passes(node.file, e, q)) out.push(sampleNode(queryRef(this.index.browse, node.file, e, k), q.q));
        });
      }
      return paged(node, out);
    }
    return [];
  }

  getTreeItem(node: DatasetNode): vscode.TreeItem {
    switch (node.kind) {
      case 'file': {
        const f = node.file;
        const item = new vscode.TreeItem(
          vscode.workspace.asRelativePath(f.path),
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `ds:${f.path}`;
        item.resourceUri = vscode.Uri.file(f.path);
        const total = f.stats.queries;
        const shown = this.filters.active
          ? this.countQueries(
              f,
              (f.entries ?? []).map((_, i) => i),
            )
          : total;
        const problems = this.index.problemsOf(f.path).length;
        item.description =
          `${f.stats.videos} videos · ${this.filters.active ? `${shown} of ` : ''}${total} queries` +
          `${problems ? ` · ${problems} problems` : ''}`;
        item.tooltip = new vscode.MarkdownString(
          `**${basename(f.path)}**\n\n${f.stats.videos} videos, ${f.stats.queries} queries ` +
            `(${f.stats.answerable} answerable, ${f.stats.refusable} refusable)\n\n` +
            Object.entries(f.stats.byDifficulty)
              .map(([d, n]) => `- ${d}: ${n}`)
              .join('\n'),
        );
        item.iconPath = new vscode.ThemeIcon('database');
        item.contextValue = 'rarft.annotationFile';
        return item;
      }
      case 'video': {
        const item = new vscode.TreeItem(
          basename(node.video) || '(no video)',
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `ds:${node.file.path}|v:${node.video}`;
        const total = node.entries.reduce((n, p) => n + node.file.entries![p].queries.length, 0);
        const shown = this.filters.active ? this.countQueries(node.file, node.entries) : total;
        const d = node.file.entries![node.entries[0]].duration;
        item.description =
          `${this.filters.active ? `${shown} of ` : ''}${total} queries` +
          `${d !== null ? ` · ${d.toFixed(1)} s` : ''}` +
          `${node.entries.length > 1 ? ` · ${node.entries.length} entries` : ''}`;
        item.tooltip = node.video;
        item.iconPath = new vscode.ThemeIcon('device-camera-video');
        item.contextValue = 'rarft.video';
        return item;
      }
      case 'page': {
        const item = new vscode.TreeItem(`${node.from + 1}–${node.to}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${this.pageParentId(node.parent)}|p:${node.from}`;
        item.iconPath = new vscode.ThemeIcon('list-unordered');
        return item;
      }
      case 'sample':
        return this.sampleItem(node);
      default:
        return unknownNode(node);
    }
  }

  private pageParentId(n: FileNode | VideoNode): string {
    return n.kind === 'file' ? `ds:${n.file.path}` : `ds:${n.file.path}|v:${n.video}`;
  }

  private sampleItem(node: SampleNode): vscode.TreeItem {
    const ref = node.ref;
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `ds:${node.id}`;
    const hit = resolveQuery(this.index.browse, ref);
    if (!hit) return item;
    const { entry: e, q } = hit;
    const bucket = this.bucketOfQuery(e.video, q);
    item.description = [
      q.r === true ? 'answerable' : q.r === false ? 'refusable' : 'r?',
      q.difficulty,
      q.categories.length ? q.categories.join(', ') : '',
      bucket ? BUCKET_LABELS[bucket] : '',
      ...this.filters.tagsOf(e.video, q.q, ref.file).map((t) => `flagged ${t}`),
    ]
      .filter(Boolean)
      .join(' · ');
    const md = new vscode.MarkdownString();
    md.appendText(q.q);
    md.appendMarkdown('\n\n');
    md.appendText(`GT: ${clip(q.a, 300)}`);
    if (q.categories.length) md.appendText(`\nCategories: ${q.categories.join(', ')}`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(
      q.r === true ? 'pass' : q.r === false ? 'circle-slash' : 'question',
      new vscode.ThemeColor(q.r === true ? 'testing.iconPassed' : 'list.warningForeground'),
    );
    item.contextValue = 'rarft.sample';
    item.command = { command: 'rarft.inspectSample', title: 'Inspect Sample', arguments: [ref] };
    return item;
  }
}
