/** The one bridge from VS Code's cancellation to core's: a CancellationToken as an AbortSignal. */
import type * as vscode from 'vscode';

/**
 * Runs `work` with an AbortSignal that aborts when `token` is cancelled (already cancelled: at once),
 * and stops listening to the token when `work` settles.
 */
export async function withAbortSignal<T>(
  token: vscode.CancellationToken,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    sub.dispose();
  }
}
