// Judgments cached in the input are reused as the reference evaluator reuses them, but said:
// how many, for which steps, by which judge (from our metrics.json beside the items file);
// --rejudge ignores them and judges every item again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rarft } from '../../support/cli';
import { referencePath, tempDir } from '../../support/fixtures';

const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

test('a rerun on an items file says what it reused and from which judge; --rejudge judges again', () => {
  const dir = tempDir();
  // The reference offline run's inputs, without judgments: judged afresh by the offline rule.
  const fresh = read(referencePath('charades.offline.items.json')).map((it: Record<string, unknown>) => {
    const {
      classification_correct,
      iou,
      pred_categories,
      category_jaccard,
      reasoning_score,
      sbert_similarity,
      ...rest
    } = it;
    return rest;
  });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(fresh));
  const first = rarft(['evaluate', 'run.json', '--out', 'metrics.json', '--items-out', 'items.json'], dir);
  assert.equal(first.status, 0, first.stderr);
  assert.doesNotMatch(first.stdout, /reused/);
  assert.equal(read(join(dir, 'metrics.json')).evaluation.reused_judgments, undefined);

  // An items file whose judgments all changed to "wrong": reuse keeps them, so accuracy falls to 0.
  const items = read(join(dir, 'items.json'));
  for (const it of items) it.classification_correct = false;
  writeFileSync(join(dir, 'items.json'), JSON.stringify(items));
  const again = rarft(['evaluate', 'items.json', '--out', 'm2.json'], dir);
  assert.equal(again.status, 0, again.stderr);
  const n = items.length;
  assert.match(
    again.stdout,
    new RegExp(`reused the input's cached judgments for ${n} of ${n} items \\(relevance ${n}`),
  );
  assert.match(again.stdout, /judged by offline/);
  assert.match(again.stdout, /--rejudge/);
  const m2 = read(join(dir, 'm2.json'));
  assert.equal(m2.relevance.overall_accuracy, 0);
  assert.equal(m2.evaluation.reused_judgments.items, n);
  assert.equal(m2.evaluation.reused_judgments.by_step.relevance, n);
  assert.equal(m2.evaluation.reused_judgments.judge, 'offline');

  // --rejudge: nothing reused, the figures are the first run's.
  const re = rarft(['evaluate', 'items.json', '--out', 'm3.json', '--items-out', 'i3.json', '--rejudge'], dir);
  assert.equal(re.status, 0, re.stderr);
  assert.doesNotMatch(re.stdout, /reused/);
  const m1 = read(join(dir, 'metrics.json'));
  const m3 = read(join(dir, 'm3.json'));
  assert.equal(m3.evaluation.reused_judgments, undefined);
  for (const k of Object.keys(m1).filter((k) => k !== 'evaluation')) assert.deepEqual(m3[k], m1[k], k);
  assert.ok(read(join(dir, 'i3.json')).some((it: Record<string, unknown>) => it.classification_correct === true));
});
