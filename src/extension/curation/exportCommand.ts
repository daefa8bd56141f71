/**
 * "RA-RFT: Export Curated Subset": pick files, an optional flag selection, filter and split, and a
 * folder; writes `<split>.json` (or `subset.json`) and `manifest.json` with the core export.
 * Near-duplicates that would land in different splits are shown, with the choice to keep them
 * together, to write anyway (listed in the manifest) or to stop.
 */
import * as vscode from 'vscode';
import { CurationError, type AnnoDoc } from '../../core/curation/annoDoc';
import { planExport, type ExportOptions } from '../../core/curation/exportPlan';
import { renderExport, writeExport } from '../../core/curation/exportWrite';
import { parseSplit } from '../../core/curation/split';
import { parseClause } from '../../core/curation/where';
import type { FeatureDeps } from '../deps';
import { annotationPaths, loadDocs } from './docs';

const tryParse = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

async function ask(deps: FeatureDeps) {
  const paths = annotationPaths(deps.index);
  if (!paths.length) throw new CurationError('no annotation files in the workspace');
  const files = await vscode.window.showQuickPick(
    paths.map((p) => ({ label: vscode.workspace.asRelativePath(p), path: p, picked: true })),
    { ignoreFocusOut: true, title: 'RA-RFT: Export Curated Subset (1/4): files', canPickMany: true },
  );
  if (!files?.length) return undefined;
  const tags = deps.flags.tags();
  const chosen = tags.length
    ? await vscode.window.showQuickPick(
        tags.map((t) => ({ label: t })),
        {
          ignoreFocusOut: true,
          title: 'RA-RFT: Export (2/4): keep only samples flagged… (none: all)',
          canPickMany: true,
        },
      )
    : [];
  if (chosen === undefined) return undefined;
  const where = await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'RA-RFT: Export (3/4): filter',
    prompt: 'Clauses separated by ";", e.g. difficulty=medium|hard; r=refusable (empty: everything)',
    validateInput: (v) => {
      for (const c of v.split(';').filter((x) => x.trim())) {
        const err = tryParse(() => parseClause(c));
        if (err) return err;
      }
      return null;
    },
  });
  if (where === undefined) return undefined;
  const split = await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'RA-RFT: Export (4/4): split by video',
    prompt: 'name=share,… (empty: one subset.json)',
    value: 'train=0.8,val=0.1,test=0.1',
    validateInput: (v) => (v.trim() ? tryParse(() => parseSplit(v)) : null),
  });
  if (split === undefined) return undefined;
  const out = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Export here',
  });
  if (!out?.[0]) return undefined;
  return {
    paths: files.map((f) => f.path),
    tags: (chosen ?? []).map((c) => c.label),
    where: where
      .split(';')
      .filter((x) => x.trim())
      .map(parseClause),
    split: split.trim() ? parseSplit(split) : undefined,
    outDir: out[0].fsPath,
  };
}

/** Registers the command. */
export function registerExport(deps: FeatureDeps): vscode.Disposable {
  return vscode.commands.registerCommand('rarft.exportSubset', async () => {
    try {
      const a = await ask(deps);
      if (!a) return;
      await deps.flags.ready();
      const docs: AnnoDoc[] = await loadDocs(a.paths);
      const options: ExportOptions = {
        split: a.split,
        seed: 0,
        where: a.where,
        tags: a.tags,
        flags: deps.flags.all(),
        flagFile: (d) => deps.flags.fileName(d.path),
      };
      let plan = await planExport(docs, options);
      if (plan.leaks.length) {
        const pick = await vscode.window.showWarningMessage(
          `${plan.leaks.length} near-duplicate query pairs would land in different splits (first: "${plan.leaks[0].a.query}").`,
          { modal: true },
          'Keep Them Together',
          'Write Anyway',
        );
        if (!pick) return;
        if (pick === 'Keep Them Together') plan = await planExport(docs, { ...options, groupDuplicates: true });
      }
      const rendered = renderExport(docs, plan, {
        filter: { where: a.where.map((c) => c.text), tags: a.tags, excludeTags: [] },
        split: a.split ? Object.fromEntries(a.split.map((s) => [s.name, s.ratio])) : null,
        seed: 0,
        groupDuplicates: !!options.groupDuplicates,
      });
      const written = await writeExport(a.outDir, rendered);
      const m = rendered.manifest;
      deps.log.info(`export: ${written.join(', ')}`);
      const open = await vscode.window.showInformationMessage(
        `RA-RFT: exported ${m.kept} queries (${m.dropped.queries} dropped) to ${written.length - 1} file(s) and manifest.json`,
        'Open Manifest',
      );
      if (open) await vscode.window.showTextDocument(vscode.Uri.file(written[written.length - 1]));
    } catch (e) {
      void vscode.window.showErrorMessage(`RA-RFT: export: ${(e as Error).message}`);
    }
  });
}
