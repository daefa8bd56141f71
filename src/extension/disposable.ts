/** One small base for everything that listens or holds a resource. */
import type * as vscode from 'vscode';

/** Collects disposables and releases them once, newest first. */
export class DisposableBase implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  /** Takes ownership of a disposable; returns it for chaining. */
  protected own<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.owned.length) {
      try {
        this.owned.pop()!.dispose();
      } catch {
        /* keep releasing the rest */
      }
    }
  }
}
