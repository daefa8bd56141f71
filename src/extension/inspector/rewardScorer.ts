/**
 * Scores the inspector's sample with the configured sentence model (`rarft.embeddings.rewardModel`)
 * so explain and correction show numbers instead of "needs a sentence model". The model (and
 * the native runtime) load on first use only, never at activation.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Embedder } from '../../core/embed/embedder';
import { loadOnnxEmbedder } from '../../core/embed/onnxEmbedder';
import { computeRewards, type RewardInput, type Rewards } from '../../core/rewards/rewards';

/** Holds at most one loaded model, reloaded when the setting changes. */
export class RewardScorer implements vscode.Disposable {
  private folder = '';
  private embedder: Promise<Embedder> | null = null;

  constructor(private readonly cacheDir: string) {}

  /** The configured model folder, or '' when none is set. */
  static configured(): string {
    return (vscode.workspace.getConfiguration('rarft').get<string>('embeddings.rewardModel') ?? '').trim();
  }

  /** Rewards with the model, or null when no model is configured. Throws when the model cannot load. */
  async score(input: RewardInput): Promise<{ rewards: Rewards; model: string } | null> {
    const folder = RewardScorer.configured();
    if (!folder) return null;
    if (folder !== this.folder || !this.embedder) {
      void this.release();
      this.folder = folder;
      this.embedder = loadOnnxEmbedder(folder, { cacheDir: this.cacheDir });
      this.embedder.catch(() => {
        this.embedder = null;
        this.folder = '';
      });
    }
    const [rewards] = await computeRewards([input], await this.embedder!);
    return { rewards, model: basename(folder) };
  }

  private async release(): Promise<void> {
    const e = this.embedder;
    this.embedder = null;
    if (e) await (await e.catch(() => null))?.close().catch(() => undefined);
  }

  dispose(): void {
    void this.release();
  }
}
