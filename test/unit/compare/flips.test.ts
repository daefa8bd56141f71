import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, metricShares } from '../../../src/core/compare/compare';
import { outcomeOf } from '../../../src/core/compare/outcomes';
import { pairIndex, pairItems } from '../../../src/core/compare/pair';
import { provenanceWarnings } from '../../../src/core/compare/provenance';
import { judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge } from '../../../src/core/eval/judge';
import { rarft } from '../../support/cli';
import { tempDir, text } from '../../support/fixtures';

const span = (a: number, b: number) =>
  `<think>looking</think><answer>${a} to ${b}</answer><correction>NIL</correction>`;
const refuse = '<think>no</think><answer>The video does not show this.</answer><correction>a person sits</correction>';

/** An answerable (GT 10–20 s) or refusable item with a model output. */
function item(video: string, query: string, answerable: boolean, output: string, level = 'original') {
  return answerable
    ? { video, query, model_output: output, gt_relevant: true, gt_timestamp: [10, 20], hardness_level: level }
    : { video, query, model_output: output, gt_relevant: false, gt_timestamp: null, hardness_level: level };
}

// Hand-made pairs, one per interesting flip; outcomes A → B written beside each.
const A = [
  item('v1.mp4', 'q1', true, span(10, 20)), // hit → miss
  item('v1.mp4', 'q2', true, span(0, 5)), // miss → hit
  item('v2.mp4', 'q3', true, refuse), // false_refusal → hit
  item('v2.mp4', 'q4', false, refuse, 'strong'), // correct_refusal → missed_refusal
  item('v3.mp4', 'q5', false, span(1, 2), 'weak'), // missed_refusal → correct_refusal
  item('v3.mp4', 'q6', true, span(11, 20)), // hit → hit (IoU 0.9 → 1)
  item('v4.mp4', 'only in A', true, span(10, 20)),
];
const B = [
  item('v3.mp4', 'q6', true, span(10, 20)),
  item('v1.mp4', 'q1', true, span(14, 30)),
  item('v1.mp4', 'q2', true, span(10, 19)),
  item('v2.mp4', 'q3', true, span(9, 20)),
  item('v2.mp4', 'q4', false, span(3, 4), 'strong'),
  item('v3.mp4', 'q5', false, refuse, 'weak'),
  item('v5.mp4', 'only in B', false, refuse),
  item('v5.mp4', 'only in B', false, refuse),
];

async function side(items: Record<string, unknown>[]) {
  return { items, judgments: await judgeItems(items, { judge: offlineJudge }) };
}

test('outcomes of hand-made items', async () => {
  const { judgments } = await side(A);
  assert.deepEqual(judgments.map(outcomeOf), [
    'hit',
    'miss',
    'false_refusal',
    'correct_refusal',
    'missed_refusal',
    'hit',
    'hit',
  ]);
});

test('pairing by (video, query): order-free, duplicates paired k-th to k-th, the rest unpaired', () => {
  const p = pairItems(A, B);
  assert.deepEqual(p.pairs, [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 0],
  ]);
  assert.deepEqual(p.unpairedA, [6]);
  assert.deepEqual(p.unpairedB, [6, 7]);
});

test('flip matrix, McNemar counts and per-level groups on hand-made pairs', async () => {
  const { comparison: c, pairs } = compareRuns(await side(A), await side(B), { seed: 1, resamples: 200 });
  assert.equal(c.paired, 6);
  assert.deepEqual(c.unpaired, { a: 1, b: 2 });
  assert.equal(c.flips.hit.miss, 1);
  assert.equal(c.flips.miss.hit, 1);
  assert.equal(c.flips.false_refusal.hit, 1);
  assert.equal(c.flips.correct_refusal.missed_refusal, 1);
  assert.equal(c.flips.missed_refusal.correct_refusal, 1);
  assert.equal(c.flips.hit.hit, 1);
  const total = Object.values(c.flips).reduce((s, row) => s + Object.values(row).reduce((x, y) => x + y, 0), 0);
  assert.equal(total, 6);
  // Relevance: right in A only = q4 (correct refusal → missed); in B only = q3, q5.
  assert.deepEqual(c.mcnemar.accuracy, { a_only: 1, b_only: 2, p: 1 });
  // R@0.5: A only = q1, q4; B only = q2, q3, q5.
  assert.equal(c.mcnemar['R@0.5'].a_only, 2);
  assert.equal(c.mcnemar['R@0.5'].b_only, 3);
  assert.equal(c.metrics.accuracy.a, 4 / 6);
  assert.equal(c.metrics.accuracy.b, 5 / 6);
  assert.deepEqual(Object.keys(c.by_level), ['original', 'weak', 'strong']);
  assert.equal(c.by_level.original.paired, 4);
  assert.equal(c.by_level.strong.metrics.accuracy.delta, -1);
  assert.equal(pairs.find((p) => p.outcomeA === 'false_refusal')?.b, 3);
  assert.deepEqual(c.warnings, []);
});

test('warnings: different judges, judge models, prompt versions, annotations and ground truth', async () => {
  const w = provenanceWarnings(
    { judge: 'llm:a', judgeModel: 'a', promptVersion: 'v1', annotationFiles: [{ path: 'x.json', sha256: '1' }] },
    { judge: 'llm:b', judgeModel: 'b', promptVersion: 'v2', annotationFiles: [{ path: 'x.json', sha256: '2' }] },
  );
  assert.equal(w.length, 4);
  assert.match(w.join('\n'), /different judges.*\n.*judge models.*\n.*prompt versions.*\n.*annotation files/);
  assert.deepEqual(provenanceWarnings({ judge: 'offline' }, { judgeModel: 'x' }), []);
  const b = structuredClone(B);
  b[1].gt_timestamp = [10, 21];
  const { comparison } = compareRuns(await side(A), await side(b), { resamples: 100 });
  assert.match(comparison.warnings.join('\n'), /1 paired samples have a different ground truth/);
});

test('rarft compare: offline judging of runs without judgments, --json shape, text table, usage errors', () => {
  const dir = tempDir();
  const pa = join(dir, 'a.json');
  const pb = join(dir, 'b.json');
  writeFileSync(pa, text(A));
  writeFileSync(pb, text(B));
  const r = rarft(['compare', pa, pb, '--json', '--seed', '3']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.paired, 6);
  assert.deepEqual(j.unpaired, { a: 1, b: 2 });
  assert.equal(j.flips.miss.hit, 1);
  assert.deepEqual(Object.keys(j.mcnemar), ['accuracy', 'R@0.5']);
  for (const k of ['a', 'b', 'delta', 'ci95']) assert.ok(k in j.metrics['R@0.5'], k);
  assert.equal(j.metrics['R@0.5'].a, 50);
  assert.equal(j.seed, 3);
  assert.deepEqual(JSON.parse(rarft(['compare', pa, pb, '--json', '--seed', '3']).stdout), j, 'same seed, same output');
  const t = rarft(['compare', pa, pb]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /6 pairs by \(video, query\) over 3 videos; unpaired: 1 in A, 2 in B/);
  assert.match(t.stdout, /false_refusal/);
  assert.equal(rarft(['compare', pa]).status, 2);
  assert.equal(rarft(['compare', pa, pb, '--seed', 'x']).status, 2);
  const missing = rarft(['compare', pa, join(dir, 'nope.json')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.json: no such file/);
});

test('annotation-file warnings: same path with other contents, or nothing in common; a subset is no difference', () => {
  const f = (path: string, sha256?: string) => ({ path, sha256 });
  const warn = (a: ReturnType<typeof f>[], b: ReturnType<typeof f>[]) =>
    provenanceWarnings({ annotationFiles: a }, { annotationFiles: b });
  assert.deepEqual(warn([f('x.json', 'aaa'), f('y.json', 'bbb')], [f('x.json', 'aaa')]), [], 'B joins to a subset');
  assert.deepEqual(warn([f('x.json', 'aaa')], [f('/elsewhere/x.json', 'aaa')]), [], 'the same bytes elsewhere');
  assert.deepEqual(warn([f('x.json', 'a'.repeat(64))], [f('x.json', 'b'.repeat(64))]), [
    `different annotation files: x.json has sha256 ${'a'.repeat(12)}… in A, ${'b'.repeat(12)}… in B`,
  ]);
  assert.match(
    warn([f('x.json', 'aaa')], [f('z.json')]).join('\n'),
    /different annotation files: A x\.json \(aaa…\); B z\.json \(unknown\)/,
  );
  assert.deepEqual(
    provenanceWarnings({ annotationFiles: [] }, { annotationFiles: [f('z.json')] }),
    [],
    'unknown on a side',
  );
});

test("compareRuns with run A's shares and join index computed beforehand (as compare does while B is judged): the same result", async () => {
  const a = await side(A);
  const b = await side(B);
  const plain = compareRuns(a, b, { seed: 3, resamples: 300 });
  const ahead = compareRuns(a, b, {
    seed: 3,
    resamples: 300,
    sharesA: metricShares(a.judgments),
    indexA: pairIndex(a.items),
  });
  assert.deepStrictEqual(ahead, plain);
  // Shares of another run (a length that does not match A's judgments) are refused, not misread.
  assert.throws(() => compareRuns(a, b, { sharesA: metricShares(b.judgments) }), /sharesA/);
});
