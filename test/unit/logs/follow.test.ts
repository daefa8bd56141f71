import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/fixtures';
import { LogFollower, type FollowUpdate } from '../../../src/core/logs/follow';
import { LogTail } from '../../../src/core/logs/tail';
import { joinQueryText, queryTextIndex } from '../../../src/core/logs/groundTruth';
import { indexText } from '../../../src/core/dataset/indexer';

/** Resolves when `cond` holds after an update (deadline generous: this is about events, not speed). */
function until(cond: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20000);
    const check = () => {
      if (cond()) {
        clearTimeout(deadline);
        resolve();
      } else setTimeout(check, 20);
    };
    check();
  });
}

test('tail: reads from the byte offset, no line twice; a partial line waits; a replaced file starts over', async () => {
  const dir = tempDir('rarft-tail-');
  const f = join(dir, 'stdout.log');
  writeFileSync(f, "{'loss': 1.0}\n{'loss': 0.9");
  const t = new LogTail(f);
  const a = await t.read();
  assert.deepEqual(
    a.records.map((r) => (r as any).values.loss),
    [1.0],
  );
  appendFileSync(f, ", 'reward': 2}\n{'loss': 0.8}\n");
  const b = await t.read();
  assert.deepEqual(
    b.records.map((r) => (r as any).values),
    [{ loss: 0.9, reward: 2 }, { loss: 0.8 }],
  );
  assert.equal((await t.read()).records.length, 0);
  const g = join(dir, 'new.log');
  writeFileSync(g, "{'loss': 5.0}\n{'loss': 4.0}\n{'loss': 3.0}\n{'loss': 2.0}\n");
  renameSync(g, f);
  const c = await t.read();
  assert.equal(c.reset, true);
  assert.equal(c.records.length, 4);
});

test('follower: appended lines arrive as updates with the steps that changed; a file created later is picked up', async () => {
  const dir = tempDir('rarft-follow-');
  const f = join(dir, 'stdout.log');
  const updates: FollowUpdate[] = [];
  const errors: Error[] = [];
  const follower = new LogFollower(f, {
    pollMs: 200,
    onUpdate: (u) => updates.push(u),
    onError: (e) => errors.push(e),
  });
  try {
    await follower.start();
    assert.equal(errors.length, 1, 'a missing file is reported once');
    writeFileSync(f, "{'loss': 1.0, 'epoch': 0.1}\n");
    await until(() => follower.builder.steps.length === 1, 'the first step');
    appendFileSync(f, "{'loss': 0.9, 'epoch': 0.2}\n{'loss': 0.8, 'epoch': 0.3}\n");
    await until(() => follower.builder.steps.length === 3, 'two more steps');
    const last = updates[updates.length - 1];
    assert.ok(last.change.stepsFrom >= 1 && last.change.stepsFrom <= 2);
    assert.deepEqual(
      follower.builder.steps.map((s) => s.values.loss),
      [1.0, 0.9, 0.8],
    );
    assert.equal(errors.length, 1);
  } finally {
    follower.dispose();
  }
});

test('ground truth by query text: one match gives span and duration; disagreeing matches are ambiguous', () => {
  const anno = [
    {
      video: 'v1.mp4',
      duration: 30,
      timestamp: [9.3, 14.4],
      GRPO: [
        { q: 'person opens the refrigerator door.', a: '<answer>9.3 to 14.4</answer>', r: true },
        { q: 'person flies a kite.', a: '<answer>No kite.</answer>', r: false },
      ],
    },
    {
      video: 'v2.mp4',
      duration: 20,
      timestamp: [1, 2],
      GRPO: [{ q: 'person flies a kite.', a: '<answer>1 to 2</answer>', r: true }],
    },
  ];
  const file = indexText('/w/anno.json', JSON.stringify(anno));
  const idx = queryTextIndex([file]);
  const j = joinQueryText(idx, '  person opens the   refrigerator door. ');
  assert.ok('truth' in j);
  assert.deepEqual(j.truth, { video: 'v1.mp4', span: [9.3, 14.4], duration: 30, answerable: true });
  const amb = joinQueryText(idx, 'person flies a kite.');
  assert.ok('note' in amb && /2 annotation queries/.test(amb.note));
  assert.ok('note' in joinQueryText(idx, 'unknown'));
});
