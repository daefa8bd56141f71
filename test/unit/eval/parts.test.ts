import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { offlineJudge } from '../../../src/core/eval/judge';
import { InvalidItemsError, runEvaluation, type EvaluationResult } from '../../../src/core/eval/run';
import { findCut, readPart } from '../../../src/core/eval/split';
import { WorkerThreads } from '../../../src/core/threads/pool';
import { referencePath, tempDir, text } from '../../support/fixtures';

/** The worker as `npm test` builds it (the build runs before the suites). */
const WORKER = join(__dirname, '..', '..', '..', 'dist', 'worker.js');

const load = (name: string): Record<string, unknown>[] => JSON.parse(readFileSync(referencePath(name), 'utf8'));

/** `n` items cut from a reference file, each copy's videos renamed (so pairs repeat only where a test makes them). */
function items(name: string, n: number): Record<string, unknown>[] {
  const base = load(name);
  return Array.from({ length: n }, (_, i) => {
    const it = structuredClone(base[i % base.length]);
    it.video = String(it.video).replace('.mp4', `_${Math.floor(i / base.length)}.mp4`);
    return it;
  });
}

function write(value: unknown, body = text(value)): string {
  const file = join(tempDir('rarft-parts-'), 'items.json');
  writeFileSync(file, body);
  return file;
}

/** Everything a run reports, without the getters that read the items again. */
const figures = (r: EvaluationResult) => {
  const { threads: _, ...report } = r.report;
  return { metrics: r.metrics, report, judgments: r.store.all() };
};

async function both(file: string) {
  const one = await runEvaluation({ input: file, judge: { judge: offlineJudge } });
  const threads = new WorkerThreads(WORKER, 1);
  // Counts the worker's answers: the two-thread figures must come from two threads.
  const ask = threads.ask.bind(threads);
  let answered = 0;
  threads.ask = (async (...a: Parameters<typeof ask>) => {
    const reply = await ask(...a);
    if (reply) answered++;
    return reply;
  }) as typeof threads.ask;
  try {
    const two = await runEvaluation({ input: file, judge: { judge: offlineJudge }, threads });
    assert.equal(answered, 1, 'the worker judged the second part');
    return { one, two };
  } finally {
    await threads.close();
  }
}

test('findCut: a cut between two top-level items, the parts parse to the file list cut there', () => {
  const list = items('charades.offline.items.json', 6000);
  // A nested list of objects in every item, indented deeper: never a cut.
  for (const it of list) it.extra = [{ a: 1 }, { b: [2, 3] }];
  const file = write(list);
  const cut = findCut(file, 0.5);
  assert.ok(cut, 'a pretty-printed file of 6,000 items has a cut');
  const first = JSON.parse(readPart(file, cut, 'first')!);
  const second = JSON.parse(readPart(file, cut, 'second')!);
  assert.ok(first.length > 2000 && second.length > 2000, `${first.length} + ${second.length}`);
  assert.deepStrictEqual([...first, ...second], list);

  assert.equal(findCut(write(list, JSON.stringify(list)), 0.5), undefined, 'minified: no line breaks, no cut');
  assert.equal(findCut(write(list.slice(0, 100)), 0.5), undefined, 'a small file is read in one');
  const changed = write(list);
  const at = findCut(changed, 0.5)!;
  writeFileSync(changed, text(list.slice(1)));
  assert.equal(readPart(changed, at, 'second'), undefined, 'a file changed since it was measured is not read in parts');
});

test('two threads give the figures of one: metrics, report, judgments, duplicate pairs across the cut', async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  for (const name of ['charades.offline.items.json', 'charades.items.json']) {
    const list = items(name, 7000);
    // Repeats within each half and across the cut; warnings in both halves.
    list[6500] = { ...list[10] };
    list[6600] = { ...list[6599] };
    list[20] = { ...list[21] };
    const answerable = list.findIndex((it, i) => i > 5000 && it.gt_relevant === true);
    delete list[answerable].gt_timestamp;
    const file = write(list);
    const { one, two } = await both(file);
    assert.equal(two.report.items, 7000);
    assert.deepEqual([one.report.threads, two.report.threads], [1, 2]);
    const seen = new Set<string>();
    const repeats = list.filter((it) => seen.size === seen.add(JSON.stringify([it.video, it.query])).size).length;
    assert.ok(repeats >= 3);
    assert.equal(two.report.warningsByCode['duplicate-query'], repeats, name);
    assert.equal(two.report.warningsByCode['missing-timestamp'], 1, name);
    assert.deepStrictEqual(figures(two), figures(one), name);
    assert.deepStrictEqual(two.items, list, 'the items, read again when asked');
    assert.deepStrictEqual(two.rows(), one.rows());
  }
});

test('an invalid item in the worker half stops the run with the one-thread error and its position', async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  const list = items('charades.offline.items.json', 7000);
  list[6000] = { ...list[6000], gt_relevant: 'no' };
  const file = write(list);
  const threads = new WorkerThreads(WORKER, 1);
  try {
    await assert.rejects(runEvaluation({ input: file, judge: { judge: offlineJudge }, threads }), (e: unknown) => {
      assert.ok(e instanceof InvalidItemsError);
      assert.deepEqual(
        e.problems.map((p) => [p.code, p.path?.[0]]),
        [['wrong-type', 6000]],
      );
      const line = readFileSync(file, 'utf8').split('\n')[e.problems[0].line - 1];
      assert.match(line.slice(e.problems[0].column - 1), /^"no"/);
      return true;
    });
  } finally {
    await threads.close();
  }
});

test('a cut inside a nested list (indented as the items) is not taken: the file is read in one, with its message', async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  const list = items('charades.offline.items.json', 6000);
  // [ item, [ item, item, … ] ]: every line of the nested list looks like a top-level item's.
  const nested = list.slice(1).map((x) => `  ${JSON.stringify(x)}`);
  const body = `[\n  ${JSON.stringify(list[0])},\n  [\n${nested.join(',\n')}\n  ]\n]\n`;
  const file = write(undefined, body);
  const cut = findCut(file, 0.5);
  assert.ok(cut, 'the indentation alone takes the nested comma for a cut');
  assert.throws(() => JSON.parse(readPart(file, cut, 'first')!), 'and the first part then does not parse');
  const threads = new WorkerThreads(WORKER, 1);
  try {
    await assert.rejects(
      runEvaluation({ input: file, judge: { judge: offlineJudge }, threads }),
      /:3:3: item 1 is not an object/,
    );
  } finally {
    await threads.close();
  }
});

test('an abort while the worker still judges its part stops the run at once, with an AbortError', {
  timeout: 30_000,
}, async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  const file = write(items('charades.offline.items.json', 6000));
  const threads = new WorkerThreads(WORKER, 1);
  const stop = new AbortController();
  // A worker that never answers: the abort comes while this thread waits for it.
  threads.ask = (() => {
    setImmediate(() => stop.abort());
    return new Promise(() => undefined);
  }) as typeof threads.ask;
  try {
    await assert.rejects(
      runEvaluation({ input: file, judge: { judge: offlineJudge }, threads }, stop.signal),
      (e: Error) => e.name === 'AbortError',
    );
  } finally {
    await threads.close();
  }
});
