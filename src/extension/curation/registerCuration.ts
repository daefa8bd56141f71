/** Curation in the editor: flags, bulk quick fixes, durations from the videos, the Audit view, export. */
import * as vscode from 'vscode';
import type { FeatureDeps } from '../deps';
import { registerAuditView } from './auditView';
import { registerBulkFixes } from './bulkFixes';
import { registerExport } from './exportCommand';
import { registerFillDurations } from './fillDurations';
import { registerFlagCommands } from './flagCommands';
import { registerSampleEditor } from './sampleEditor';

/** Registers every curation feature. */
export function registerCuration(_context: vscode.ExtensionContext, deps: FeatureDeps): vscode.Disposable {
  return vscode.Disposable.from(
    registerFlagCommands(deps, (tag) => void vscode.commands.executeCommand('rarft.setFlagFilter', tag)),
    registerBulkFixes(deps.index),
    registerFillDurations(deps),
    registerAuditView(deps),
    registerExport(deps),
    registerSampleEditor(deps),
  );
}
