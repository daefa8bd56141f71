/**
 * Training alerts over parsed curves: loss or reward became NaN, the share of zero-variance
 * groups keeps rising, the refusal rate collapsed to 0 or 1; and a job that exited non-zero.
 * Pure functions; an alert's `id` is stable, so a caller notifies each id once.
 */
import type { StepPoint } from './curves';
import type { GroupView } from './groups';

/** One alert. */
export interface Alert {
  id: string;
  kind: 'nan' | 'zero-variance-rising' | 'refusal-collapse' | 'job-failed';
  severity: 'error' | 'warning';
  message: string;
  /** The step it is about, when there is one. */
  step?: number;
}

/** Thresholds; the defaults are documented in the README. */
export interface AlertOptions {
  /** Steps per window of the zero-variance share. */
  window: number;
  /** Consecutive rises of the window mean that make "keeps rising". */
  rises: number;
  /** ... when the last window's share is at least this. */
  minShare: number;
  /** Completions per window of the refusal rate. */
  refusalWindow: number;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = { window: 10, rises: 3, minShare: 0.25, refusalWindow: 64 };

/** Keys watched for NaN: the loss and the rewards, train and eval. */
export function watchedForNaN(key: string): boolean {
  return (
    key === 'loss' || key === 'reward' || key === 'eval_loss' || key === 'eval_reward' || key.startsWith('rewards/')
  );
}

/** The first step at which each watched key became NaN or infinite. */
export function nanAlerts(steps: readonly StepPoint[]): Alert[] {
  const out: Alert[] = [];
  const seen = new Set<string>();
  const lastFinite = new Map<string, number>();
  for (const p of steps)
    for (const k in p.values) {
      if (!watchedForNaN(k) || seen.has(k)) continue;
      const v = p.values[k];
      if (typeof v !== 'number') continue;
      if (Number.isFinite(v)) {
        lastFinite.set(k, p.step);
        continue;
      }
      seen.add(k);
      const before = lastFinite.get(k);
      out.push({
        id: `nan:${k}`,
        kind: 'nan',
        severity: 'error',
        step: p.step,
        message:
          `${k} became ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf'} at step ${p.step}` +
          `${before === undefined ? '' : ` (last finite at step ${before})`}`,
      });
    }
  return out;
}

/** Share of zero-variance groups per step: `frac_reward_zero_std` where logged, else counted from the groups. */
export function zeroVarianceSeries(steps: readonly StepPoint[], groups: readonly GroupView[]): [number, number][] {
  const logged: [number, number][] = [];
  for (const p of steps) {
    const v = p.values.frac_reward_zero_std;
    if (typeof v === 'number' && Number.isFinite(v)) logged.push([p.step, v]);
  }
  if (logged.length) return logged;
  const byStep = new Map<number, { zero: number; n: number }>();
  for (const g of groups) {
    if (g.completions.length < 2 || g.completions.some((c) => c.total === null)) continue;
    const s = byStep.get(g.step) ?? { zero: 0, n: 0 };
    s.n++;
    if (g.zeroVariance) s.zero++;
    byStep.set(g.step, s);
  }
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, s]) => [step, s.zero / s.n]);
}

/** Means of consecutive full windows of `size` values. */
function windowMeans(values: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + size <= values.length; i += size) {
    let sum = 0;
    for (let j = i; j < i + size; j++) sum += values[j];
    out.push(sum / size);
  }
  return out;
}

/** The zero-variance share rose over the last `rises` windows in a row and is now at least `minShare`. */
export function zeroVarianceAlert(
  steps: readonly StepPoint[],
  groups: readonly GroupView[],
  opts: AlertOptions = DEFAULT_ALERT_OPTIONS,
): Alert | null {
  const series = zeroVarianceSeries(steps, groups);
  const means = windowMeans(
    series.map(([, v]) => v),
    opts.window,
  );
  if (means.length < opts.rises + 1) return null;
  const tail = means.slice(-(opts.rises + 1));
  for (let i = 1; i < tail.length; i++) if (!(tail[i] > tail[i - 1])) return null;
  const last = tail[tail.length - 1];
  if (last < opts.minShare) return null;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const step = series[means.length * opts.window - 1][0];
  return {
    id: 'zero-variance-rising',
    kind: 'zero-variance-rising',
    severity: 'warning',
    step,
    message:
      `the share of zero-variance groups (no learning signal) keeps rising: ${tail.map(pct).join(' → ')} ` +
      `over the last ${tail.length} windows of ${opts.window} steps (to step ${step})`,
  };
}

/** The refusal rate of the last window of completions is 0 or 1 after an earlier window that held both kinds. */
export function refusalAlert(groups: readonly GroupView[], opts: AlertOptions = DEFAULT_ALERT_OPTIONS): Alert | null {
  const flags: number[] = [];
  const stepAt: number[] = [];
  for (const g of groups)
    for (const c of g.completions)
      if (c.refusal !== null) {
        flags.push(c.refusal ? 1 : 0);
        stepAt.push(g.step);
      }
  const rates = windowMeans(flags, opts.refusalWindow);
  if (rates.length < 2) return null;
  const last = rates[rates.length - 1];
  if (last !== 0 && last !== 1) return null;
  if (!rates.slice(0, -1).some((r) => r > 0 && r < 1)) return null;
  const step = stepAt[rates.length * opts.refusalWindow - 1];
  return {
    id: `refusal-collapse:${last}`,
    kind: 'refusal-collapse',
    severity: 'warning',
    step,
    message: `the refusal rate collapsed to ${last}: ${last ? 'every' : 'no'} completion of the last ${opts.refusalWindow} refuses (to step ${step})`,
  };
}

/** Every training alert for the curves so far. */
export function trainingAlerts(
  steps: readonly StepPoint[],
  groups: readonly GroupView[],
  opts: AlertOptions = DEFAULT_ALERT_OPTIONS,
): Alert[] {
  const out = nanAlerts(steps);
  const z = zeroVarianceAlert(steps, groups, opts);
  if (z) out.push(z);
  const r = refusalAlert(groups, opts);
  if (r) out.push(r);
  return out;
}

/** The alert for a finished job (for the remote-jobs side): null when it exited 0. */
export function jobExitAlert(job: string, exitCode: number | null, signal?: string | null): Alert | null {
  if (exitCode === 0) return null;
  const how = exitCode === null ? `was killed${signal ? ` by ${signal}` : ''}` : `exited with code ${exitCode}`;
  return { id: `job-failed:${job}`, kind: 'job-failed', severity: 'error', message: `job ${job} ${how}` };
}

/** A job's end as its record has it (structurally a remote JobRecord). */
export interface JobEnd {
  id: string;
  state: string;
  exitCode: number | null;
  /** Why, when known (a Slurm state such as `Slurm: TIMEOUT (signal 15)`). */
  detail?: string;
}

/**
 * The alert for a job that is over, or null: exited non-zero (`jobExitAlert`), killed (exited
 * without a code, e.g. a Slurm TIMEOUT), cancelled (a warning: usually the user's doing) or lost
 * (its processes are gone and it wrote no exit code). Null while it runs and when it exited 0.
 */
export function jobEndAlert(j: JobEnd): Alert | null {
  const why = j.detail ? ` (${j.detail})` : '';
  if (j.state === 'exited') {
    const a = jobExitAlert(j.id, j.exitCode);
    if (!a) return null;
    return { ...a, message: j.exitCode === null ? `job ${j.id} was killed${why}` : `${a.message}${why}` };
  }
  const base = { id: `job-failed:${j.id}`, kind: 'job-failed' as const };
  if (j.state === 'cancelled') return { ...base, severity: 'warning', message: `job ${j.id} was cancelled${why}` };
  if (j.state === 'lost')
    return {
      ...base,
      severity: 'error',
      message: `job ${j.id} was lost: its processes are gone and it wrote no exit code`,
    };
  return null;
}
