/** Assembles the dashboard data of a judged run, with optional rewards and a compared run. */
import { compareRuns, type CompareSide } from '../compare/compare';
import { OUTCOMES } from '../compare/outcomes';
import type { RunProvenance } from '../compare/provenance';
import { addFlags, addRewards, buildColumns } from './columns';
import { provenanceRows, type DashboardData } from './data';

/** A judged run with its provenance. */
export interface JudgedRun extends CompareSide {
  provenance: RunProvenance;
}

/** Options of `dashboardData`. */
export interface DashboardOptions {
  title?: string;
  rewards?: readonly Record<string, unknown>[];
  compare?: JudgedRun;
  seed?: number;
  resamples?: number;
  /** The flag tags on a sample (the dashboard's flag filter); without it the data carries no flags. */
  flags?: (video: string, query: string) => readonly string[];
}

/** The data the dashboard and the report draw for `run`. */
export function dashboardData(run: JudgedRun, opts: DashboardOptions = {}): DashboardData {
  const columns = buildColumns(run.items, run.judgments);
  if (opts.rewards) addRewards(columns, opts.rewards);
  if (opts.flags) addFlags(columns, opts.flags);
  const judged = columns.pred.filter((p) => p >= 0).length;
  const data: DashboardData = {
    title: opts.title ?? `RA-RFT evaluation: ${run.provenance.path ?? 'run'}`,
    columns,
    provenance: provenanceRows(run.provenance, { items: columns.n, judged }, opts.compare?.provenance),
  };
  if (opts.compare) {
    const { comparison, pairs } = compareRuns(run, opts.compare, { seed: opts.seed, resamples: opts.resamples });
    const outcome = new Array<number>(columns.n).fill(-1);
    for (const p of pairs) outcome[p.a] = OUTCOMES.indexOf(p.outcomeB);
    columns.compare = { label: opts.compare.provenance.path ?? 'B', outcome };
    data.comparison = comparison;
  }
  return data;
}
