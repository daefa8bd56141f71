/**
 * "RA-RFT: Set Judge API Key": keeps the LLM judge's key in SecretStorage (never in settings
 * or logs), and reads the `rarft.judge.*` settings, so features that start `rarft evaluate
 * --judge llm` get the arguments and the environment from one place.
 */
import * as vscode from 'vscode';
import type { Price } from '../core/judge/usage';

/** SecretStorage key of the judge's API key. */
export const JUDGE_KEY_SECRET = 'rarft.judge.apiKey';

/** The judge settings plus the key (when one is stored). */
export interface JudgeSettings {
  baseUrl: string;
  model: string;
  concurrency: number;
  apiKey?: string;
  /** `rarft.judge.price`: US dollars per million prompt and completion tokens (unset: no cost shown). */
  price?: Price;
}

/** `rarft.judge.price` when it holds two non-negative numbers, `input` and `output`. */
function readPrice(v: unknown): Price | undefined {
  const p = v as { input?: unknown; output?: unknown } | null | undefined;
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  return p && ok(p.input) && ok(p.output) ? { input: p.input, output: p.output } : undefined;
}

/** Reads `rarft.judge.baseUrl|model|concurrency|price` and the stored key. */
export async function readJudgeSettings(context: vscode.ExtensionContext): Promise<JudgeSettings> {
  const c = vscode.workspace.getConfiguration('rarft.judge');
  const apiKey = (await context.secrets.get(JUDGE_KEY_SECRET)) || undefined;
  return {
    baseUrl: c.get<string>('baseUrl') || 'https://api.openai.com/v1',
    model: c.get<string>('model') ?? '',
    concurrency: Math.max(1, Math.floor(c.get<number>('concurrency') ?? 8)),
    apiKey,
    price: readPrice(c.get('price')),
  };
}

/** Registers the command; returns what to dispose. */
export function registerJudgeKey(
  context: vscode.ExtensionContext,
  deps: { log: vscode.LogOutputChannel },
): vscode.Disposable {
  return vscode.commands.registerCommand('rarft.setJudgeApiKey', async () => {
    const { baseUrl } = await readJudgeSettings(context);
    const had = !!(await context.secrets.get(JUDGE_KEY_SECRET));
    const key = await vscode.window.showInputBox({
      title: 'RA-RFT: Set Judge API Key',
      prompt: `API key for the judge server ${baseUrl} (rarft.judge.baseUrl). Leave empty to remove the stored key.`,
      placeHolder: had ? 'a key is stored; type a new one or leave empty to remove it' : 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (/\s/.test(v.trim()) ? 'a key has no spaces' : undefined),
    });
    if (key === undefined) return; // cancelled
    if (!key.trim()) {
      await context.secrets.delete(JUDGE_KEY_SECRET);
      deps.log.info('judge API key removed from secret storage');
      void vscode.window.showInformationMessage('RA-RFT: judge API key removed.');
      return;
    }
    await context.secrets.store(JUDGE_KEY_SECRET, key.trim());
    deps.log.info('judge API key stored in secret storage');
    void vscode.window.showInformationMessage('RA-RFT: judge API key stored in VS Code secret storage.');
  });
}
