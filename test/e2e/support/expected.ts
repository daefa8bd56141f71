/**
 * What the end-to-end tests expect, worked out from the sample workspace's files with core (or
 * the CLI over core): the numbers and texts the UI must agree with, never hard-coded.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { answerText, firstTimestamp, type Span } from '../../../src/core/text';
import { root } from '../../../scripts/codeServer.mjs';
import { DATA_VIDEO_ROOT, RUN_NAME } from '../../../scripts/makeSampleWorkspace.mjs';

interface Annotation {
  video: string;
  duration: number | null;
  GRPO: { q: string; a: string; r: boolean }[];
}

export interface RunItem {
  video: string;
  query: string;
  model_output: string;
  gt_timestamp: Span | null;
}

/** The simulated run's merged items. */
export function runItems(ws: string): RunItem[] {
  return JSON.parse(readFileSync(join(ws, 'runs', RUN_NAME, 'inference_results_merged.json'), 'utf8')) as RunItem[];
}

/** What the data says about one (video, query) of `data/<file>`: the facts the inspector must show. */
export function expectedSample(ws: string, file: string, videoName: string, query: string) {
  const video = `${DATA_VIDEO_ROOT}/${videoName}`;
  const entries = (JSON.parse(readFileSync(join(ws, 'data', file), 'utf8')) as Annotation[]).filter(
    (e) => e.video === video,
  );
  const entry = entries.find((e) => e.GRPO.some((g) => g.q === query));
  assert.ok(entry, `${query} is in ${file}`);
  const gtAnswer = entry.GRPO.find((g) => g.q === query)!.a;
  const item = runItems(ws).find((i) => i.video === video && i.query === query);
  const durations = entries.map((e) => e.duration).filter((d): d is number => typeof d === 'number');
  return {
    gtAnswer,
    gt: firstTimestamp(answerText(gtAnswer)),
    item,
    pred: item ? firstTimestamp(answerText(item.model_output)) : null,
    /** The longest duration the video's entries give (the fixture video is made that long). */
    duration: Math.max(...durations),
    /** Every query of the video in this file, in file order. */
    queries: entries.flatMap((e) => e.GRPO.map((g) => g.q)),
  };
}

/** What `rarft index --json` finds in the workspace. */
export function indexWorkspace(ws: string) {
  const r = spawnSync(process.execPath, [join(root, 'bin/rarft.js'), 'index', '--json', ws], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    totals: { files: number; videos: number; queries: number; answerable: number; refusable: number };
    problems: { file: string; code: string; severity: string; message: string; line: number; column: number }[];
  };
}

/** Asserts |actual − expected| ≤ tol. */
export function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);
}
