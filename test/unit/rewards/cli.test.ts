import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rarft } from '../../support/cli';
import { cut, tempDir, text } from '../../support/fixtures';
import { TINY_VOCAB, writeModelFolder } from '../../support/tinyBert';
import { indexText } from '../../../src/core/dataset/indexer';
import { loadOnnxEmbedder } from '../../../src/core/embed/onnxEmbedder';
import { joinItems } from '../../../src/core/rewards/fromRun';
import { computeRewards } from '../../../src/core/rewards/rewards';

let dir: string;
let modelDir: string;
let entries: any[];
let items: any[];
const env = () => ({ RARFT_CACHE_DIR: join(dir, 'cache') });

before(async () => {
  dir = tempDir('rarft-rewards-');
  modelDir = join(dir, 'model');
  await writeModelFolder(modelDir, {
    shape: {
      vocabSize: TINY_VOCAB.length + 5,
      hidden: 32,
      layers: 1,
      heads: 4,
      intermediate: 64,
      maxPositions: 512,
      seed: 9,
    },
    vocab: TINY_VOCAB,
  });
  entries = cut('hi_vtg_charades.json', 4);
  entries[3].duration = null; // an answerable item here cannot get refuse_iou
  writeFileSync(join(dir, 'anno.json'), text(entries));
  writeFileSync(join(dir, 'dup.json'), text([entries[1]]));
  items = [];
  for (const e of entries) {
    for (const q of e.GRPO) {
      const answer = q.r
        ? `${e.timestamp[0] + 0.5} to ${e.timestamp[1] + 1}`
        : 'The query does not match the video: the person is not doing that.';
      const correction = q.r ? 'NIL' : e.GRPO.find((o: any) => o.r).q;
      items.push({
        video: e.video,
        query: q.q,
        model_output: `<think>looking</think>\n<answer>${answer}</answer> <correction>${correction}</correction>`,
        gt_relevant: q.r,
        gt_timestamp: q.r ? e.timestamp : null,
        gt_output: q.a,
      });
    }
  }
  items.push({
    video: entries[0].video,
    query: 'a query that no annotation has',
    model_output: 'no blocks at all',
    gt_relevant: true,
  });
  writeFileSync(join(dir, 'items.json'), text(items));
});

test('rewards with a model: input order, every reward, the same numbers as the core', async () => {
  const out = join(dir, 'rewards.json');
  const r = rarft(
    ['rewards', join(dir, 'items.json'), '--anno', join(dir, 'anno.json'), '--out', out, '--model', modelDir],
    undefined,
    env(),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /completions scored/);
  const rows = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(rows.length, items.length);
  rows.forEach((row: any, i: number) => {
    assert.equal(row.video, items[i].video);
    assert.equal(row.query, items[i].query);
  });
  assert.deepEqual(Object.keys(rows[0]), [
    'video',
    'query',
    'task_type',
    'format',
    'refuse_iou',
    'explain',
    'correction',
    'explain_correction',
    'total',
  ]);

  // Same as scoring in-process with the core and the same model.
  const joined = joinItems(items, [indexText('anno.json', readFileSync(join(dir, 'anno.json'), 'utf8'))]);
  const e = await loadOnnxEmbedder(modelDir);
  const expected = await computeRewards(
    joined.filter((j) => j.input).map((j) => j.input!),
    e,
  );
  await e.close();
  let k = 0;
  joined.forEach((j, i) => {
    if (!j.input) return;
    const x = expected[k++];
    for (const key of ['format', 'refuse_iou', 'explain', 'correction', 'explain_correction', 'total'] as const) {
      if (x[key] === null) assert.equal(rows[i][key], null, `${i} ${key}`);
      else assert.ok(Math.abs(rows[i][key] - x[key]!) < 1e-6, `${i} ${key}: ${rows[i][key]} vs ${x[key]}`);
    }
    assert.equal(rows[i].task_type, items[i].gt_relevant ? 'answerable' : 'refusable');
  });
  // Answerable with NIL → correction 1; refusable correcting to the answerable query → (1 + 1) / 2.
  const ans = rows.find((x: any) => x.task_type === 'answerable' && x.refuse_iou !== null);
  assert.equal(ans.correction, 1);
  assert.ok(ans.refuse_iou > 0 && ans.refuse_iou < 1);
  const refu = rows.find((x: any) => x.task_type === 'refusable');
  assert.ok(Math.abs(refu.correction - 1) < 1e-6);
  assert.equal(refu.refuse_iou, 1);
  // The entry without a duration: refuse_iou is null with a note, not 0.
  const noDur = rows.find((x: any) => x.video === entries[3].video && x.task_type === 'answerable');
  assert.equal(noDur.refuse_iou, null);
  assert.equal(noDur.total, null);
  assert.ok(noDur.notes.some((n: string) => /duration is unknown/.test(n)));
  // The unmatched item: reported, not guessed.
  const last = rows[rows.length - 1];
  assert.equal(last.task_type, null);
  assert.equal(last.format, 0);
  assert.equal(last.refuse_iou, null);
  assert.match(last.notes[0], /no annotation query matches/);
});

test('without a model, explain and correction of refusable items are null with a hint', () => {
  const out = join(dir, 'nomodel.json');
  const r = rarft(
    ['rewards', join(dir, 'items.json'), '--anno', join(dir, 'anno.json'), '--out', out],
    undefined,
    env(),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /rarft models download all-MiniLM-L6-v2/);
  const rows = JSON.parse(readFileSync(out, 'utf8'));
  const refu = rows.find((x: any) => x.task_type === 'refusable');
  assert.equal(refu.explain, null);
  assert.equal(refu.correction, null);
  assert.equal(refu.refuse_iou, 1);
  const ans = rows.find((x: any) => x.task_type === 'answerable');
  assert.equal(ans.correction, 1);
  assert.equal(ans.explain, null);
});

test('ambiguous joins are reported; --group adds GRPO advantages', () => {
  const out = join(dir, 'grouped.json');
  const r = rarft(
    [
      'rewards',
      join(dir, 'items.json'),
      '--anno',
      join(dir, 'anno.json'),
      '--anno',
      join(dir, 'dup.json'),
      '--out',
      out,
      '--model',
      modelDir,
      '--group',
      String(items.length),
    ],
    undefined,
    env(),
  );
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(readFileSync(out, 'utf8'));
  const amb = rows.filter((x: any) => x.video === entries[1].video);
  assert.ok(amb.length > 0 && amb.every((x: any) => x.total === null && /ambiguous/.test(x.notes[0])));
  assert.match(r.stdout, /the join is ambiguous/);
  // One group with null totals → null advantages.
  assert.ok(rows.every((x: any) => x.advantage === null));
  const out2 = join(dir, 'grouped2.json');
  const few = items.filter((it: any) => it.video !== entries[1].video && it.video !== entries[3].video).slice(0, 4);
  assert.equal(few.length, 4);
  writeFileSync(join(dir, 'few.json'), text(few));
  assert.equal(
    rarft(
      [
        'rewards',
        join(dir, 'few.json'),
        '--anno',
        join(dir, 'anno.json'),
        '--out',
        out2,
        '--model',
        modelDir,
        '--group',
        '2',
      ],
      undefined,
      env(),
    ).status,
    0,
  );
  const g = JSON.parse(readFileSync(out2, 'utf8'));
  for (let i = 0; i < g.length; i += 2) {
    assert.ok(Math.abs(g[i].advantage + g[i + 1].advantage) < 1e-9);
    if (g[i].total !== g[i + 1].total)
      assert.ok(
        Math.abs(
          Math.abs(g[i].advantage) -
            Math.abs(g[i + 1].total - g[i].total) / 2 / (Math.abs(g[i + 1].total - g[i].total) / Math.SQRT2 + 1e-4),
        ) < 1e-9,
      );
  }
});

test('usage and input errors', () => {
  assert.equal(rarft(['rewards', join(dir, 'items.json'), '--out', join(dir, 'x.json')]).status, 2);
  assert.equal(
    rarft([
      'rewards',
      join(dir, 'items.json'),
      '--anno',
      join(dir, 'anno.json'),
      '--out',
      join(dir, 'x.json'),
      '--group',
      '0',
    ]).status,
    2,
  );
  const notAnno = rarft([
    'rewards',
    join(dir, 'items.json'),
    '--anno',
    join(dir, 'items.json'),
    '--out',
    join(dir, 'x.json'),
  ]);
  assert.equal(notAnno.status, 1);
  assert.match(notAnno.stderr, /not an annotation file/);
  const badModel = rarft([
    'rewards',
    join(dir, 'items.json'),
    '--anno',
    join(dir, 'anno.json'),
    '--out',
    join(dir, 'x.json'),
    '--model',
    join(dir, 'nope'),
  ]);
  assert.equal(badModel.status, 1);
  assert.match(badModel.stderr, /--model .*no model\.onnx/);
});
