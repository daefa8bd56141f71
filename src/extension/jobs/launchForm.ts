/**
 * The Launch Remote Job… form for training, inference and Slurm: the CLI's fields (from core's
 * launchForm), each checked as it is typed, starting from what was last used on the same host
 * (kept in the workspace state), with a review list to change any field before launching.
 */
import * as vscode from 'vscode';
import {
  checkField,
  INFER_FIELDS,
  type LaunchAnswers,
  type LaunchField,
  SLURM_FIELDS,
  startingAnswers,
  TRAIN_FIELDS,
} from '../../core/remote/launchForm';
import { type Partition, slurmPartitions } from '../../core/remote/slurmJobs';
import { remoteSetting, sshOptions } from './settings';

/** The workspace-state key holding, per host, the last answers of each form. */
const MEMORY_KEY = 'rarft.remote.launchDefaults';

type Form = 'train' | 'infer' | 'slurm' | 'command';
type Memory = Record<string, Partial<Record<Form, Record<string, string>>>>;

/** The answers last used on `host` for `form`. */
export function remembered(state: vscode.Memento, host: string, form: Form): LaunchAnswers {
  return state.get<Memory>(MEMORY_KEY, {})[host]?.[form] ?? {};
}

/** Keeps `answers` as the starting point of `form` on `host` next time (empty ones dropped). */
export async function remember(state: vscode.Memento, host: string, form: Form, answers: LaunchAnswers): Promise<void> {
  const all = state.get<Memory>(MEMORY_KEY, {});
  const kept = Object.fromEntries(Object.entries(answers).filter((e): e is [string, string] => !!e[1]));
  await state.update(MEMORY_KEY, { ...all, [host]: { ...all[host], [form]: kept } });
}

/** One input box for a field, checked as typed (the check's message under the box). */
export async function askField(f: LaunchField, value: string | undefined, title: string): Promise<string> {
  const v = await vscode.window.showInputBox({
    title,
    prompt: f.label + (f.hint ? ` (${f.hint})` : f.fallback ? ` (default ${f.fallback})` : ''),
    value: value ?? '',
    placeHolder: f.hint ?? f.fallback,
    ignoreFocusOut: true,
    validateInput: (s) => checkField(f, s),
  });
  if (v === undefined) throw new vscode.CancellationError();
  return v.trim();
}

const LAUNCH = '$(rocket) Launch';

/** The review list: Launch, or pick a field to change it; returns when Launch is chosen. */
async function review(fields: readonly LaunchField[], a: Record<string, string | undefined>, title: string) {
  for (;;) {
    const bad = fields.map((f) => checkField(f, a[f.key])).find(Boolean);
    const items = [
      { label: LAUNCH, description: bad ?? 'with the values below', field: undefined as LaunchField | undefined },
      ...fields.map((f) => ({
        label: f.label,
        description: f.type === 'flag' ? (a[f.key] === 'true' ? 'yes' : 'no') : a[f.key] || '(not set)',
        detail: `--${f.key}`,
        field: f,
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: 'Launch, or pick a field to change it',
      ignoreFocusOut: true,
      matchOnDetail: true,
    });
    if (!pick) throw new vscode.CancellationError();
    const f = pick.field;
    if (!f) {
      if (!bad) return;
      void vscode.window.showWarningMessage(bad);
    } else if (f.type === 'flag') a[f.key] = a[f.key] === 'true' ? 'false' : 'true';
    else a[f.key] = await askField(f, a[f.key], title);
  }
}

/** The Slurm fields asked one by one before the rest (partition, account, time limit, GPUs per node). */
const ASKED_SLURM = new Set(['partition', 'account', 'time', 'gpus-per-node']);

/** The partition as a quick pick of the host's partitions (sinfo), else as an input box. */
async function askPartition(f: LaunchField, value: string | undefined, title: string, parts: Partition[] | null) {
  if (!parts?.length) return askField(f, value, title);
  const def = parts.find((p) => p.isDefault);
  const items = [
    { label: 'Cluster default', description: def ? `${def.name} (no --partition)` : 'no --partition', value: '' },
    ...parts.map((p) => ({ label: p.name, description: p.isDefault ? 'the default' : '', value: p.name })),
    { label: '$(edit) Other partition…', description: '', value: undefined as string | undefined },
  ];
  // The partition used last on this host comes first (the active row).
  items.sort((a, b) => Number(b.value === (value ?? '')) - Number(a.value === (value ?? '')));
  const pick = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: `${f.label} (from sinfo)`,
    ignoreFocusOut: true,
  });
  if (!pick) throw new vscode.CancellationError();
  return pick.value ?? askField(f, value, title);
}

/** Asks the Slurm fields of ASKED_SLURM into `s` (the partition from the host's list when sinfo answers). */
async function askSlurm(s: Record<string, string | undefined>, host: string, title: string): Promise<void> {
  const parts = await slurmPartitions(host, sshOptions()).catch(() => null);
  for (const f of SLURM_FIELDS) {
    if (!ASKED_SLURM.has(f.key)) continue;
    s[f.key] =
      f.key === 'partition' ? await askPartition(f, s[f.key], title, parts) : await askField(f, s[f.key], title);
  }
}

/**
 * Fills the form of `kind` (and the Slurm resources when `slurm`) on `host`: asks the required
 * fields and the Slurm ones, then offers the review list; remembers the answers for the host.
 */
export async function fillForm(
  state: vscode.Memento,
  host: string,
  kind: 'train' | 'infer',
  slurm: boolean,
): Promise<LaunchAnswers> {
  const title = `${kind === 'train' ? 'Training' : 'Inference'} on ${host}${slurm ? ' (Slurm)' : ''}`;
  const own = (kind === 'train' ? TRAIN_FIELDS : INFER_FIELDS).filter((f) => slurm || f.key !== 'shards');
  const settings = {
    checkout: remoteSetting('checkout', '') || undefined,
    python: remoteSetting('python', '') || undefined,
  };
  const a = startingAnswers(own, remembered(state, host, kind), settings);
  const s = slurm ? startingAnswers(SLURM_FIELDS, remembered(state, host, 'slurm')) : {};
  for (const f of own) if (f.required || f.key === 'gpus') a[f.key] = await askField(f, a[f.key], title);
  if (slurm) await askSlurm(s, host, title);
  const all = { ...a, ...s };
  await review(slurm ? [...own, ...SLURM_FIELDS] : own, all, title);
  await remember(state, host, kind, Object.fromEntries(own.map((f) => [f.key, all[f.key]])));
  if (slurm) await remember(state, host, 'slurm', Object.fromEntries(SLURM_FIELDS.map((f) => [f.key, all[f.key]])));
  return all;
}

/** The Slurm resources of a plain command launch, asked the same way and remembered per host. */
export async function fillSlurm(state: vscode.Memento, host: string): Promise<LaunchAnswers> {
  const title = `Slurm resources on ${host}`;
  const s = startingAnswers(SLURM_FIELDS, remembered(state, host, 'slurm'));
  await askSlurm(s, host, title);
  await review(SLURM_FIELDS, s, title);
  await remember(state, host, 'slurm', s);
  return s;
}
