/** Runs remote work; an unknown host key is shown with its fingerprint and trusted only when the user says so. */
import * as vscode from 'vscode';
import { acceptHostKey } from '../../core/remote/hostKeys';
import { HostKeyError, type SshOptions } from '../../core/remote/ssh';

/** Runs `fn`; on an unknown host key asks (modal, fingerprint shown), adds the key and runs it again. */
export async function withHostKey<T>(host: string, ssh: SshOptions, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof HostKeyError)) throw e;
    if (e.kind === 'changed') {
      void vscode.window.showErrorMessage(e.message, { modal: true });
      throw e;
    }
    const fp = e.fingerprints[0];
    if (!fp) throw e;
    const trust = 'Trust This Key and Connect';
    const pick = await vscode.window.showWarningMessage(
      `The host key of ${host} is not known.`,
      {
        modal: true,
        detail: `Fingerprint: ${e.fingerprints.join(', ')}\n\nCompare it with the one the server's administrator gives you before trusting it.`,
      },
      trust,
    );
    if (pick !== trust) throw e;
    await acceptHostKey(host, fp.split(' ')[1], ssh);
    return fn();
  }
}
