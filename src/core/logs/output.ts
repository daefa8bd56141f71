/**
 * The machine shape of parsed curves (`rarft curves --json`): steps with every key as logged
 * (NaN, ±inf and None as null), groups with completions, rewards and advantages, alerts.
 */
import { trainingAlerts, type Alert, type AlertOptions } from './alerts';
import type { CurveBuilder, StepPoint } from './curves';
import { groupView, type GroupView } from './groups';
import type { LogValue, Progress } from './records';

const num = (v: LogValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A step as JSON: `{"step": N, "<key>": number | null, …}`. */
export function stepJson(p: StepPoint): Record<string, number | null> {
  const out: Record<string, number | null> = { step: p.step };
  for (const k in p.values) out[k] = num(p.values[k]);
  return out;
}

/** A group as JSON (snake_case keys like the rest of the CLI output). */
export function groupJson(g: GroupView) {
  return {
    index: g.index,
    step: g.step,
    line: g.line,
    query: g.query,
    task_type: g.taskType,
    expected: g.expected,
    reward_names: g.rewardNames,
    summed: g.summed,
    zero_variance: g.zeroVariance,
    notes: g.notes,
    completions: g.completions.map((c) => ({
      index: c.index,
      answer: c.answer,
      rewards: Object.fromEntries(Object.entries(c.rewards).map(([k, v]) => [k, num(v)])),
      total: num(c.total),
      advantage: num(c.advantage),
      refusal: c.refusal,
      pred_span: c.predSpan,
    })),
  };
}

/** Everything `rarft curves --json` prints. */
export interface CurvesJson {
  steps: Record<string, number | null>[];
  groups: ReturnType<typeof groupJson>[];
  summary: Record<string, number | null> | null;
  progress: Progress | null;
  alerts: Alert[];
  problems: { file?: string; line: number; column: number; message: string }[];
}

/** The JSON of a builder's curves, with the alerts they raise. */
export function curvesJson(b: CurveBuilder, opts?: AlertOptions): CurvesJson {
  const groups = b.groups.map(groupView);
  return {
    steps: b.steps.map(stepJson),
    groups: groups.map(groupJson),
    summary: b.summary && Object.fromEntries(Object.entries(b.summary).map(([k, v]) => [k, num(v)])),
    progress: b.progress,
    alerts: trainingAlerts(b.steps, groups, opts),
    problems: b.problems.map((p) => ({ file: p.source, line: p.line, column: p.column, message: p.message })),
  };
}
