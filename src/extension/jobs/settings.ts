/** The remote-job settings and the workspace the job records live in. */
import * as vscode from 'vscode';
import type { SshOptions } from '../../core/remote/ssh';

/** ssh options from `rarft.remote.sshConfig` (empty: the user's ~/.ssh/config). */
export function sshOptions(): SshOptions {
  const cfg = vscode.workspace.getConfiguration('rarft.remote');
  const file = cfg.get<string>('sshConfig', '').trim();
  return file ? { configFile: file } : {};
}

/** A remote setting. */
export function remoteSetting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration('rarft.remote').get<T>(key, fallback);
}

/** The folder holding `.rarft/jobs.json`: the first workspace folder. */
export function jobsWorkspace(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
