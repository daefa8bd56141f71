/**
 * Training curves from log records: per-step points (numbered when the log has no `step`,
 * a resumed run folded in by its epochs), GRPO groups, the last tqdm bar and the final
 * summary. Records can be added as they arrive; each call says what changed.
 */
import type { LogProblem, LogRecord, LogValue, Progress } from './records';

/** One logging step: every numeric key as logged. */
export interface StepPoint {
  step: number;
  values: Record<string, LogValue>;
}

/** One completion of a group, as the trainer printed it. */
export interface LoggedCompletion {
  index: number;
  text: string;
}

/** One GRPO group as logged: the query, its completions and the reward lists. */
export interface LoggedGroup {
  /** Position among all groups (stable). */
  index: number;
  line: number;
  /** The step the group was generated for (the next step to be logged). */
  step: number;
  query: string | null;
  taskType: string | null;
  /** N of `Generated Completions (N):`; null when not printed. */
  expected: number | null;
  completions: LoggedCompletion[];
  /** Reward function name (without `reward_`) → one value per completion. */
  rewards: Record<string, LogValue[]>;
}

/** What one `add` changed: steps from this index on and groups from this index on are new or changed. */
export interface CurveChange {
  stepsFrom: number;
  groupsFrom: number;
  progress: boolean;
  summary: boolean;
  problems: number;
}

const EPOCH_TOLERANCE = 1e-9;
const isEvalKey = (k: string) => k.startsWith('eval_') || k === 'epoch';

/** Accumulates records into curves. */
export class CurveBuilder {
  readonly steps: StepPoint[] = [];
  readonly groups: LoggedGroup[] = [];
  progress: Progress | null = null;
  summary: Record<string, LogValue> | null = null;
  readonly problems: (LogProblem & { source?: string })[] = [];
  private lastEpoch: number | null = null;
  private resuming = false;
  private change!: CurveChange;

  /** Adds records (from `source`, named in problems); returns what changed. */
  add(records: readonly LogRecord[], source?: string): CurveChange {
    this.change = {
      stepsFrom: this.steps.length,
      groupsFrom: this.groups.length,
      progress: false,
      summary: false,
      problems: 0,
    };
    for (const r of records) this.record(r, source);
    return this.change;
  }

  private record(r: LogRecord, source?: string): void {
    switch (r.kind) {
      case 'metrics':
        if (r.step === undefined) this.numbered(r.values);
        else this.upsert(r.step, r.values);
        return;
      case 'summary':
        this.summary = r.values;
        this.change.summary = true;
        return;
      case 'progress':
        this.progress = r.progress;
        this.change.progress = true;
        return;
      case 'resume':
        this.resuming = true;
        return;
      case 'problem':
        this.problems.push(source === undefined ? r : { ...r, source });
        this.change.problems++;
        return;
      default:
        this.groupRecord(r);
    }
  }

  private get lastStep(): number {
    return this.steps.length ? this.steps[this.steps.length - 1].step : 0;
  }

  /** A dict without `step`: the next step, an eval dict joined to the step it follows, or a resumed run's step. */
  private numbered(values: Record<string, LogValue>): void {
    const keys = Object.keys(values);
    const last = this.steps[this.steps.length - 1];
    if (last && keys.length && keys.every(isEvalKey) && !keys.some((k) => k !== 'epoch' && k in last.values)) {
      this.merge(this.steps.length - 1, values);
      return;
    }
    const epoch = values.epoch;
    let step = this.lastStep + 1;
    // Epochs going back mean a resumed run; the same epoch again too, once the trainer said it resumes.
    const back = this.resuming ? EPOCH_TOLERANCE : -EPOCH_TOLERANCE;
    if (typeof epoch === 'number' && this.lastEpoch !== null && epoch < this.lastEpoch + back)
      step = this.resumedStep(epoch);
    this.resuming = false;
    if (typeof epoch === 'number') this.lastEpoch = epoch;
    this.upsert(step, values, true);
  }

  /** The step a resumed run's record at `epoch` takes: that of the earlier record with the same epoch, else the next after the last earlier epoch. */
  private resumedStep(epoch: number): number {
    let next = 1;
    for (const p of this.steps) {
      const e = p.values.epoch;
      if (typeof e !== 'number') continue;
      if (Math.abs(e - epoch) <= EPOCH_TOLERANCE * Math.max(1, epoch)) return p.step;
      if (e < epoch) next = p.step + 1;
    }
    return next;
  }

  /** Sets the values of `step`; `replace` drops that step and later ones first (a resumed run supersedes them). */
  private upsert(step: number, values: Record<string, LogValue>, replace = false): void {
    let i = this.steps.length;
    while (i > 0 && this.steps[i - 1].step >= step) i--;
    if (replace && i < this.steps.length) {
      this.steps.length = i;
      this.change.stepsFrom = Math.min(this.change.stepsFrom, i);
    }
    if (i < this.steps.length && this.steps[i].step === step) {
      this.merge(i, values);
      return;
    }
    this.steps.splice(i, 0, { step, values: { ...values } });
    this.change.stepsFrom = Math.min(this.change.stepsFrom, i);
    if (typeof values.epoch === 'number' && i === this.steps.length - 1) this.lastEpoch = values.epoch;
  }

  private merge(i: number, values: Record<string, LogValue>): void {
    Object.assign(this.steps[i].values, values);
    this.change.stepsFrom = Math.min(this.change.stepsFrom, i);
  }

  private newGroup(line: number): LoggedGroup {
    const g: LoggedGroup = {
      index: this.groups.length,
      line,
      step: this.lastStep + 1,
      query: null,
      taskType: null,
      expected: null,
      completions: [],
      rewards: {},
    };
    this.groups.push(g);
    return g;
  }

  private touch(g: LoggedGroup): LoggedGroup {
    this.change.groupsFrom = Math.min(this.change.groupsFrom, g.index);
    return g;
  }

  /** The group a query-block record belongs to: the open one unless it already has this part. */
  private openGroup(line: number, fits: (g: LoggedGroup) => boolean): LoggedGroup {
    const g = this.groups[this.groups.length - 1];
    return this.touch(g && fits(g) ? g : this.newGroup(line));
  }

  private groupRecord(
    r: Exclude<LogRecord, { kind: 'metrics' | 'summary' | 'progress' | 'problem' | 'resume' }>,
  ): void {
    switch (r.kind) {
      case 'query': {
        // Reward lists printed before their query block wait in a group without a query.
        const g = this.openGroup(r.line, (g) => g.query === null && g.completions.length === 0);
        g.query = r.text;
        g.step = Math.max(g.step, this.lastStep + 1);
        return;
      }
      case 'taskType':
        this.openGroup(r.line, (g) => g.taskType === null && g.completions.length === 0).taskType = r.text;
        return;
      case 'completions':
        this.openGroup(r.line, (g) => g.expected === null && g.completions.length === 0).expected = r.count;
        return;
      case 'completion': {
        const g = this.openGroup(r.line, (g) => !g.completions.some((c) => c.index === r.index));
        g.completions.push({ index: r.index, text: r.text });
        return;
      }
      case 'completionMore': {
        const g = this.groups[this.groups.length - 1];
        const c = g?.completions[g.completions.length - 1];
        if (c) this.touch(g).completions[g.completions.length - 1] = { ...c, text: `${c.text}\n${r.text}` };
        return;
      }
      case 'rewards':
        this.openGroup(r.line, (g) => !(r.name in g.rewards)).rewards[r.name] = r.values;
        return;
      default: {
        const never: never = r;
        throw new Error(`unknown record ${JSON.stringify(never)}`);
      }
    }
  }
}

/** The curves of whole record lists (one builder, records in order). */
export function buildCurves(records: readonly LogRecord[]): CurveBuilder {
  const b = new CurveBuilder();
  b.add(records);
  return b;
}
