/** Options and helpers shared by the `rarft remote` subcommands. */
import { resolve } from 'node:path';
import type { SshOptions } from '../../core/remote/ssh';
import { CliError } from '../io';

/** The options every remote subcommand takes. */
export const common = {
  json: { type: 'boolean' },
  'ssh-config': { type: 'string' },
  workspace: { type: 'string' },
} as const;

/** ssh options and workspace from the common options. */
export function context(values: Record<string, unknown>): { ssh: SshOptions; workspace: string } {
  const cfg = values['ssh-config'] as string | undefined;
  return { ssh: cfg ? { configFile: resolve(cfg) } : {}, workspace: resolve((values.workspace as string) ?? '.') };
}

/** Prints `value` as JSON or `text`. */
export function out(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? JSON.stringify(value) + '\n' : text.endsWith('\n') || !text ? text : text + '\n');
}

/** Runs a core call, turning its errors into CLI errors (exit 1) with their message. */
export async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof CliError) throw e;
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new CliError((e as Error).message);
  }
}
