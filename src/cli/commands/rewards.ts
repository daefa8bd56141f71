/** `rarft rewards <items.json> --anno <annotation.json>... --out <rewards.json> [--model DIR] [--group G]` */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { joinKey } from '../../core/dataset/model';
import { NO_MODEL_HINT, type Embedder } from '../../core/embed/embedder';
import { writeOutputs } from '../../core/fsAtomic';
import { groupAdvantages } from '../../core/rewards/grpo';
import { joinItems } from '../../core/rewards/fromRun';
import { computeRewards, formatReward, type Rewards } from '../../core/rewards/rewards';
import type { TaskType } from '../../core/rewards/rewards';
import {
  abortOnSignals,
  checkOutputsForCli,
  CliError,
  readAnnotationFile,
  fmt,
  numberOption,
  parse,
  readItemsFile,
  table,
  type Command,
} from '../io';
import { loadModelForCli } from '../sbertOptions';

export const rewardsUsage =
  'rarft rewards <items.json> --anno <annotation.json>... --out <rewards.json> [--model <dir>] [--group <G>] [--force]';

/** One output row: the item's keys, then its rewards (core's `Rewards`). */
export type RewardRow = { video: string; query: string; task_type: TaskType | null } & Omit<Rewards, 'notes'> & {
    advantage?: number | null;
    notes?: string[];
  };

/** The `rewards` command. */
export const rewardsCommand: Command = {
  name: 'rewards',
  usage: rewardsUsage,
  async run(args) {
    const { values, tokens } = parse(args, {
      anno: { type: 'string', multiple: true },
      out: { type: 'string' },
      model: { type: 'string' },
      group: { type: 'string' },
      force: { type: 'boolean' },
    });
    // `--anno a.json b.json`: with more than one positional, those that follow an --anno value
    // are annotation files too (a single positional stays the items file, wherever it is).
    const annos = [...(values.anno ?? [])];
    let positionals = tokens.filter((t) => t.kind === 'positional').map((t) => t.value);
    if (positionals.length > 1) {
      positionals = [];
      let afterAnno = false;
      for (const t of tokens) {
        if (t.kind === 'positional') (afterAnno ? annos : positionals).push(t.value);
        else afterAnno = t.kind === 'option' && t.name === 'anno';
      }
    }
    if (positionals.length !== 1 || !values.out || !annos.length) throw new CliError(`usage: ${rewardsUsage}`, 2);
    // The same file twice (by its real path) is one file, not an ambiguous join of every item.
    const real = await Promise.all(annos.map((a) => realpath(a).catch(() => resolve(a))));
    const unique = annos.filter((_, i) => real.indexOf(real[i]) === i);
    const group = numberOption('group', values.group, 1);
    if (group !== undefined && !Number.isInteger(group))
      throw new CliError(`--group: expected a whole number, got '${values.group}'`, 2);
    await checkOutputsForCli(
      [{ option: '--out', path: values.out, kind: 'rewards' }],
      [{ option: 'items', path: positionals[0] }, ...unique.map((a) => ({ option: '--anno', path: a }))],
      !!values.force,
    );
    return runRewards(positionals[0], unique, values.out, values.model, group);
  },
};

/** One row per joined item: the scored rewards in order, or only the format reward where nothing joined. */
function rewardRows(joined: ReturnType<typeof joinItems>, scored: Rewards[]): RewardRow[] {
  let k = 0;
  return joined.map((j): RewardRow => {
    if (!j.input) {
      return {
        video: j.video,
        query: j.query,
        task_type: null,
        format: formatReward(j.completion),
        refuse_iou: null,
        explain: null,
        correction: null,
        explain_correction: null,
        total: null,
        notes: j.notes,
      };
    }
    const r = scored[k++];
    const notes = [...j.notes, ...r.notes.map((n) => n.text)];
    const row: RewardRow = {
      video: j.video,
      query: j.query,
      task_type: j.taskType,
      format: r.format,
      refuse_iou: r.refuse_iou,
      explain: r.explain,
      correction: r.correction,
      explain_correction: r.explain_correction,
      total: r.total,
    };
    if (notes.length) row.notes = notes;
    return row;
  });
}

/** Sets each row's advantage within its group of `group` consecutive rows (null when a total is missing). */
function addAdvantages(rows: RewardRow[], group: number): void {
  for (let i = 0; i < rows.length; i += group) {
    const g = rows.slice(i, i + group);
    const totals = g.map((r) => r.total);
    const adv = totals.every((t): t is number => t !== null) ? groupAdvantages(totals) : null;
    g.forEach((r, m) => (r.advantage = adv ? adv[m] : null));
  }
}

/** Computes the rewards; returns the exit code. */
export async function runRewards(
  input: string,
  annos: string[],
  out: string,
  modelDir: string | undefined,
  group?: number,
): Promise<number> {
  const items = await readItemsFile(input);
  if (group !== undefined && items.length % group !== 0)
    throw new CliError(`--group ${group}: ${items.length} items do not split into groups of ${group}`, 2);
  const files = await Promise.all(annos.map(readAnnotationFile));
  const joined = joinItems(items, files);
  const keys = new Set(items.map((it) => joinKey(String(it.video), String(it.query))));
  for (const f of files)
    if (!f.entries?.some((e) => e.queries.some((q) => keys.has(joinKey(e.video, q.q)))))
      throw new CliError(
        `--anno ${f.path}: no item of ${input} matches a query of this file by (video, query); is it the right annotation file?`,
      );

  let embedder: Embedder | null = null;
  if (modelDir) embedder = await loadModelForCli(modelDir, '--model');
  else process.stderr.write(`warning: ${NO_MODEL_HINT} with --model; explain and correction are left null\n`);
  const stop = abortOnSignals();
  let scored: Rewards[];
  try {
    const withInput = joined.filter((j) => j.input);
    scored = await computeRewards(
      withInput.map((j) => j.input!),
      embedder,
      stop.signal,
    );
  } finally {
    stop.dispose();
    await embedder?.close();
  }
  const rows = rewardRows(joined, scored);
  if (group !== undefined) addAdvantages(rows, group);
  await writeOutputs([{ path: out, data: () => JSON.stringify(rows, null, 2) + '\n' }]);
  process.stdout.write(summary(rows, out) + '\n');
  return 0;
}

function mean(xs: (number | null | undefined)[]): { mean: number | null; n: number } {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return { mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : null, n: v.length };
}

/** The table printed after scoring. */
export function summary(rows: RewardRow[], out: string): string {
  const lines = [`${rows.length} completions scored → ${out}`];
  const t: (string | number)[][] = [['reward', 'mean', 'computed']];
  for (const k of ['format', 'refuse_iou', 'explain', 'correction', 'explain_correction', 'total'] as const) {
    const m = mean(rows.map((r) => r[k]));
    t.push([k, fmt(m.mean), `${m.n}/${rows.length}`]);
  }
  lines.push(table(t));
  const why = new Map<string, number>();
  for (const r of rows)
    for (const n of r.notes ?? []) {
      const key = n.replace(/^item \d+: /, '').replace(/ \([^()]* entry \d+[^()]*\)/, '');
      why.set(key, (why.get(key) ?? 0) + 1);
    }
  if (why.size) {
    lines.push('', 'not computed:');
    for (const [w, n] of why) lines.push(`  ${n} × ${w}`);
  }
  return lines.join('\n');
}
