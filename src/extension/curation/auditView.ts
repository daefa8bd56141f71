/**
 * The Audit view: "RA-RFT: Audit Annotations" runs the core audit over the workspace's
 * annotation files; findings are grouped by code, open in the inspector (queries) or the
 * file (other values), and can be flagged from their context menu.
 */
import * as vscode from 'vscode';
import { auditDocs } from '../../core/curation/audit';
import type { Finding, FindingCode, FindingPlace } from '../../core/curation/findings';
import { loadOnnxEmbedder } from '../../core/embed/onnxEmbedder';
import { embeddingCacheDir } from '../../core/embed/paths';
import { fileByPath, queryRef } from '../../core/inspect/identity';
import type { SampleRef } from '../../core/inspect/sampleTypes';
import { withAbortSignal } from '../cancel';
import type { FeatureDeps } from '../deps';
import { annotationPaths, loadDocs } from './docs';

type AuditNode =
  | { kind: 'code'; code: FindingCode; findings: Finding[] }
  | { kind: 'finding'; finding: Finding; ref?: SampleRef }
  | { kind: 'place'; place: FindingPlace };

class AuditProvider implements vscode.TreeDataProvider<AuditNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  findings: Finding[] = [];

  constructor(private readonly deps: FeatureDeps) {}

  set(findings: Finding[]): void {
    this.findings = findings;
    this.changed.fire();
  }

  /** The sample a finding at a query text names, when the index has it. */
  refOf(f: Finding): SampleRef | undefined {
    if (f.path.length !== 4 || f.path[1] !== 'GRPO' || f.path[3] !== 'q') return undefined;
    const browse = this.deps.index.browse;
    const file = fileByPath(browse, f.file);
    const entry = file?.entries?.find((e) => e.index === f.path[0]);
    const k = entry?.queries.findIndex((q) => q.index === f.path[2]) ?? -1;
    return file && entry && k >= 0 ? queryRef(browse, file, entry, k) : undefined;
  }

  getChildren(node?: AuditNode): AuditNode[] {
    if (!node) {
      const by = new Map<FindingCode, Finding[]>();
      for (const f of this.findings) by.set(f.code, [...(by.get(f.code) ?? []), f]);
      return [...by].map(([code, findings]) => ({ kind: 'code', code, findings }));
    }
    if (node.kind === 'code')
      return node.findings.slice(0, 2000).map((finding) => ({ kind: 'finding', finding, ref: this.refOf(finding) }));
    if (node.kind === 'finding') return node.finding.related.map((place) => ({ kind: 'place', place }));
    return [];
  }

  getTreeItem(node: AuditNode): vscode.TreeItem {
    switch (node.kind) {
      case 'code': {
        const item = new vscode.TreeItem(node.code, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.findings.length}`;
        item.iconPath = new vscode.ThemeIcon('checklist');
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.message, f.related.length ? 1 : 0);
        item.description = `${vscode.workspace.asRelativePath(f.file)}:${f.line}`;
        item.tooltip = f.message;
        item.iconPath = new vscode.ThemeIcon(
          f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
        );
        item.contextValue = node.ref ? 'rarft.auditSample' : 'rarft.auditFinding';
        item.command = node.ref
          ? { command: 'rarft.inspectSample', title: 'Inspect Sample', arguments: [node.ref] }
          : { command: 'rarft.openFindingPlace', title: 'Open', arguments: [f] };
        return item;
      }
      case 'place': {
        const p = node.place;
        const item = new vscode.TreeItem(`${vscode.workspace.asRelativePath(p.file)}:${p.line}:${p.column}`);
        item.iconPath = new vscode.ThemeIcon('location');
        item.command = { command: 'rarft.openFindingPlace', title: 'Open', arguments: [p] };
        return item;
      }
      default: {
        const never: never = node;
        throw new Error(`unknown audit node ${JSON.stringify(never)}`);
      }
    }
  }
}

async function runAudit(deps: FeatureDeps, provider: AuditProvider, view: vscode.TreeView<AuditNode>): Promise<void> {
  await deps.index.ensureStarted();
  const modelDir = vscode.workspace.getConfiguration('rarft').get<string>('embeddings.rewardModel') ?? '';
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'RA-RFT: auditing annotations', cancellable: true },
    (progress, token) =>
      withAbortSignal(token, async (signal) => {
        const docs = await loadDocs(annotationPaths(deps.index));
        const embedder = modelDir ? await loadOnnxEmbedder(modelDir, { cacheDir: embeddingCacheDir() }) : undefined;
        try {
          return await auditDocs(docs, {
            embedder,
            signal,
            onProgress: (phase, d, n) => progress.report({ message: `${phase} ${d}/${n}` }),
          });
        } finally {
          await embedder?.close();
        }
      }),
  );
  provider.set(result.findings);
  const notRun = result.notRun.map((n) => n.code).join(', ');
  view.message = `${result.findings.length} findings${notRun ? ` · not run: ${notRun} (set rarft.embeddings.rewardModel)` : ''}`;
  deps.log.info(`audit: ${result.findings.length} findings${notRun ? `; not run: ${notRun}` : ''}`);
}

/** Registers the Audit view and its commands. */
export function registerAuditView(deps: FeatureDeps): vscode.Disposable {
  const provider = new AuditProvider(deps);
  const view = vscode.window.createTreeView('rarft.audit', { treeDataProvider: provider, showCollapseAll: true });
  return vscode.Disposable.from(
    view,
    vscode.commands.registerCommand('rarft.auditAnnotations', async () => {
      try {
        await runAudit(deps, provider, view);
        await vscode.commands.executeCommand('rarft.audit.focus');
      } catch (e) {
        if ((e as Error).name !== 'AbortError')
          void vscode.window.showErrorMessage(`RA-RFT: audit: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('rarft.openFindingPlace', async (p: FindingPlace) => {
      if (!p || typeof p.file !== 'string') return;
      const pos = new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
      await vscode.window.showTextDocument(vscode.Uri.file(p.file), { selection: new vscode.Range(pos, pos) });
    }),
  );
}
