/** What the RA-RFT features share: the log, the workspace index, and the sample selection. */
import type * as vscode from 'vscode';
import type { SampleRef } from '../core/inspect/sampleTypes';
import type { FlagStore } from './curation/flagStore';
import type { WorkspaceIndex } from './workspaceIndex';

export interface FeatureDeps {
  log: vscode.LogOutputChannel;
  index: WorkspaceIndex;
  /** Fired when a sample row is selected in a view (the inspector follows it when open). */
  selection: vscode.EventEmitter<SampleRef>;
  /** The workspace's flags (.rarft/flags.json). */
  flags: FlagStore;
}
