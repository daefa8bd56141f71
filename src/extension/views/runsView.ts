/** The Runs view: run files → error buckets → items, joined to their annotations. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { BUCKETS, BUCKET_LABELS, type Bucket } from '../../core/buckets';
import type { IndexedFile } from '../../core/dataset/indexer';
import { joinKey } from '../../core/dataset/model';
import { toDifficulty } from '../../core/taxonomy';
import { DisposableBase } from '../disposable';
import type { WorkspaceIndex } from '../workspaceIndex';
import type { Filters } from './filters';
import { itemRef, resolveItem } from '../../core/inspect/identity';
import { type BucketNode, clip, paged, type RunNode, type SampleNode, sampleNode, unknownNode } from './nodes';

const BUCKET_ICONS: Record<Bucket, string> = {
  truncated: 'scissors',
  'false-refusal': 'circle-slash',
  'span-on-irrelevant': 'debug-breakpoint-unsupported',
  'iou-below-0.3': 'error',
  'iou-below-0.5': 'warning',
  'broken-format': 'symbol-structure',
  correct: 'pass',
  unjudged: 'question',
};

/** Provides the Runs tree. */
export class RunsProvider extends DisposableBase implements vscode.TreeDataProvider<RunNode> {
  private readonly changed = this.own(new vscode.EventEmitter<RunNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly filters: Filters,
  ) {
    super();
    this.own(index.onDidChange(() => this.changed.fire(undefined)));
    this.own(filters.onDidChange(() => this.changed.fire(undefined)));
  }

  private passes(file: IndexedFile, pos: number, bucket: Bucket): boolean {
    if (!this.filters.active) return true;
    if (!this.filters.inSampleSet(file.path, pos)) return false;
    const it = file.items![pos];
    const join = this.index.browse.joins.get(joinKey(it.video, it.query))?.[0];
    const q = join?.entry.queries[join.queryIndex];
    const difficulty = q?.difficulty ?? (it.level ? toDifficulty(it.level) : null);
    return this.filters.matches({
      query: it.query,
      video: it.video,
      difficulty,
      categories: q?.categories ?? it.gtCategories,
      bucket,
    });
  }

  private grouped(file: IndexedFile): Map<Bucket, number[]> {
    const run = this.index.browse.runs.get(file);
    const m = new Map<Bucket, number[]>();
    if (!run) return m;
    run.buckets.forEach((b, pos) => {
      if (!this.passes(file, pos, b)) return;
      const list = m.get(b);
      if (list) list.push(pos);
      else m.set(b, [pos]);
    });
    return m;
  }

  /** The run file's row opens by default while a sample set (from the dashboard) is shown (its buckets stay closed). */
  private expansion(): vscode.TreeItemCollapsibleState {
    return this.filters.state.samples
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.Collapsed;
  }

  /** Part of the row ids while a sample set is shown, so each set opens expanded afresh. */
  private setTag(): string {
    const s = this.filters.state.samples;
    return s ? `|s:${s.positions.size}:${s.label}` : '';
  }

  async getChildren(node?: RunNode): Promise<RunNode[]> {
    if (!node) {
      void this.index.ensureStarted();
      const only = this.filters.state.samples?.file;
      return this.index.browse.files
        .filter((f) => f.items?.length && (!only || f.path === only))
        .map((file) => ({ kind: 'file', file }));
    }
    if (node.kind === 'page') return node.children;
    if (node.kind === 'file') {
      const g = this.grouped(node.file);
      return BUCKETS.filter((b) => g.has(b)).map<BucketNode>((bucket) => ({
        kind: 'bucket',
        file: node.file,
        bucket,
        positions: g.get(bucket)!,
      }));
    }
    if (node.kind === 'bucket') {
      return paged(
        node,
        node.positions.map((pos) =>
          sampleNode(itemRef(this.index.browse, node.file, pos), node.file.items![pos].query),
        ),
      );
    }
    return [];
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    switch (node.kind) {
      case 'file': {
        const f = node.file;
        const run = this.index.browse.runs.get(f);
        const item = new vscode.TreeItem(vscode.workspace.asRelativePath(f.path), this.expansion());
        item.id = `rn:${f.path}${this.setTag()}`;
        item.resourceUri = vscode.Uri.file(f.path);
        const correct = run ? run.buckets.filter((b) => b === 'correct').length : 0;
        const n = f.items!.length;
        item.description = `${n} items · ${n ? Math.round((100 * correct) / n) : 0}% correct · ${run?.cached ? 'cached judgments' : 'offline judge'}`;
        item.tooltip = `${f.path}\n${f.kind}; items joined to annotations by (video, query)`;
        item.iconPath = new vscode.ThemeIcon(f.kind === 'evaluation-items' ? 'checklist' : 'output');
        item.contextValue = 'rarft.runFile';
        return item;
      }
      case 'bucket': {
        const item = new vscode.TreeItem(BUCKET_LABELS[node.bucket], vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `rn:${node.file.path}|b:${node.bucket}${this.setTag()}`;
        item.description = String(node.positions.length);
        item.iconPath = new vscode.ThemeIcon(BUCKET_ICONS[node.bucket]);
        item.contextValue = 'rarft.bucket';
        return item;
      }
      case 'page': {
        const item = new vscode.TreeItem(`${node.from + 1}–${node.to}`, vscode.TreeItemCollapsibleState.Collapsed);
        const p = node.parent;
        item.id = `rn:${p.file.path}|b:${p.bucket}|p:${node.from}`;
        item.iconPath = new vscode.ThemeIcon('list-unordered');
        return item;
      }
      case 'sample':
        return this.sampleItem(node);
      default:
        return unknownNode(node);
    }
  }

  private sampleItem(node: SampleNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `rn:${node.id}`;
    const ref = node.ref;
    const hit = resolveItem(this.index.browse, ref);
    if (!hit) return item;
    const it = hit.item;
    const j = this.index.browse.runs.get(hit.file)?.judgments[hit.position];
    item.description = [
      basename(it.video),
      it.gtRelevant ? 'answerable' : 'refusable',
      j?.iou !== null && j?.iou !== undefined ? `IoU ${j.iou.toFixed(2)}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const md = new vscode.MarkdownString();
    md.appendText(it.query);
    md.appendMarkdown('\n\n');
    md.appendText(`Output: ${clip(it.modelOutput, 300)}`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(it.gtRelevant ? 'pass' : 'circle-slash');
    item.contextValue = 'rarft.sample';
    item.command = { command: 'rarft.inspectSample', title: 'Inspect Sample', arguments: [ref] };
    return item;
  }
}
