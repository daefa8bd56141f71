import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { addFlags, buildColumns } from '../../../src/core/report/columns';
import { ALL, selectRows } from '../../../src/core/report/model';
import { sliceModel } from '../../../src/core/report/sliceModel';
import { tableCsv, tableLatex, tableMarkdown } from '../../../src/core/report/tableText';
import { judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge } from '../../../src/core/eval/judge';
import { referencePath } from '../../support/fixtures';

const load = (name: string) => JSON.parse(readFileSync(referencePath(name), 'utf8'));

test('the dashboard of the whole run shows the reference metrics.json numbers', async () => {
  const items = load('charades.items.json');
  const want = load('charades.metrics.json');
  const c = buildColumns(items, await judgeItems(items, { judge: offlineJudge }));
  const m = sliceModel(c, ALL);
  const close = (a: number | null, b: number, what: string) => assert.ok(Math.abs((a ?? NaN) - b) < 1e-6, what);
  close(m.metrics.relevance.overall_accuracy, want.relevance.overall_accuracy, 'accuracy');
  close(m.metrics['RA-IoU']['R@0.5'], want['RA-IoU']['R@0.5'], 'R@0.5');
  close(m.metrics['RT-IoU'], want['RT-IoU'], 'RT-IoU');
  close(m.metrics.irrelevant_samples.mean_reasoning_score, want.irrelevant_samples.mean_reasoning_score, 'reasoning');
  assert.deepEqual(m.confusion, want.relevance.confusion);
  const strong = want.hardness_level_analysis.metrics_by_hardness_level.strong;
  close(m.byLevel.series[0].values[3], strong.accuracy, 'strong accuracy');
  close(m.byLevel.series[1].values[3], strong.f1, 'strong F1');
  // The IoU histogram holds every judged answerable item; a bar's samples are exactly its count.
  assert.equal(
    m.iou.counts.reduce((a, b) => a + b, 0),
    want.relevance.confusion.TP + want.relevance.confusion.FN,
  );
  assert.equal(selectRows(c, ALL, { kind: 'iou', bin: 9 }).length, m.iou.counts[9]);
  assert.equal(selectRows(c, ALL, { kind: 'level', level: 3 }).length, strong.total);
  const tp = selectRows(c, ALL, { kind: 'confusion', gt: 1, pred: 1 });
  assert.equal(tp.length, want.relevance.confusion.TP);
  // A slice is computed over its rows only.
  const weak = sliceModel(c, { ...ALL, level: 1 });
  assert.equal(weak.rows, want.hardness_level_analysis.metrics_by_hardness_level.weak.total);
  close(
    weak.metrics.relevance.overall_accuracy,
    want.hardness_level_analysis.metrics_by_hardness_level.weak.accuracy,
    'weak slice',
  );
});

test('tables as CSV, Markdown and LaTeX, special characters escaped', () => {
  const t = {
    id: 't',
    title: 'T',
    header: ['name', 'value'],
    rows: [
      ['a, "b"', 1.5],
      ['x|y & 50% _z_', null],
    ] as (string | number | null)[][],
  };
  assert.equal(tableCsv(t), 'name,value\r\n"a, ""b""",1.5\r\nx|y & 50% _z_,\r\n');
  assert.equal(tableMarkdown(t), '| name | value |\n| --- | ---: |\n| a, "b" | 1.5 |\n| x\\|y & 50% _z_ | n/a |\n');
  const tex = tableLatex(t);
  assert.match(tex, /\\begin\{tabular\}\{lr\}/);
  assert.match(tex, /x\|y \\& 50\\% \\_z\\_ & n\/a \\\\/);
  assert.match(tex, /\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
});

test('a figure with nothing behind it shows –, never 0.000, in the cards, the level chart and the level table', async () => {
  // Offline judge, no category tags, no reasoning score: RT-IoU and reasoning have nothing behind them.
  const items = [
    { video: 'a.mp4', query: 'q1', gt_relevant: true, gt_timestamp: [1, 4], model_output: '<answer>1 to 4</answer>' },
    {
      video: 'a.mp4',
      query: 'q2',
      gt_relevant: false,
      hardness_level: 'strong',
      gt_categories: ['Object/ObjectExistence'],
      model_output: '<answer>irrelevant</answer>',
    },
  ];
  const c = buildColumns(items, await judgeItems(items, { judge: offlineJudge }));
  const m = sliceModel(c, ALL);
  const card = (id: string) => m.cards.find((x) => x.id === id)!.value;
  assert.ok(m.metrics.evaluation.not_computed.figures.includes('RT-IoU'));
  assert.equal(m.metrics['RT-IoU'], 0, 'metrics.json keeps the reference value for parity');
  assert.equal(card('rt-iou'), '–');
  assert.equal(card('reasoning'), '–');
  assert.equal(card('accuracy'), '1.000');
  assert.deepEqual(m.byLevel.series.find((s) => s.name === 'RT-IoU')!.values, [null, null, null, null]);
  const levels = m.tables.find((t) => t.id === 'levels')!;
  assert.equal(levels.rows[3][5], null, 'strong RT-IoU is not computed');
});

test('the flag filter: a slice by flag tag holds exactly the flagged samples, with the other slices', async () => {
  const items = load('charades.items.json');
  const c = buildColumns(items, await judgeItems(items, { judge: offlineJudge }));
  const key = (v: unknown, q: unknown) => `${v}\u0000${q}`;
  const review = new Set(items.slice(0, 5).map((it: Record<string, unknown>) => key(it.video, it.query)));
  const bad = key(items[7].video, items[7].query);
  addFlags(c, (v, q) => [
    ...(review.has(key(v, q)) ? ['needs-review'] : []),
    ...(key(v, q) === bad || key(v, q) === key(items[0].video, items[0].query) ? ['bad-video'] : []),
  ]);
  assert.deepEqual(c.flags!.tags, ['needs-review', 'bad-video']);
  assert.equal(sliceModel(c, { ...ALL, flag: 0 }).rows, 5);
  assert.equal(sliceModel(c, { ...ALL, flag: 1 }).rows, 2);
  assert.deepEqual(selectRows(c, { ...ALL, flag: 1 }, { kind: 'all' }), [0, 7]);
  const level = c.level[0];
  assert.equal(
    sliceModel(c, { ...ALL, flag: 0, level }).rows,
    [0, 1, 2, 3, 4].filter((i) => c.level[i] === level).length,
  );
  addFlags(c, () => []);
  assert.equal(c.flags, undefined, 'no flags: no filter offered');
});
