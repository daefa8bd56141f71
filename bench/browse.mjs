// Browsing benchmark for the extension's data path. Run: node --import tsx bench/browse.mjs
// Builds a 20,000-query annotation file (2,000 videos × 10 queries) and a run over it, then
// measures what the extension does off the UI path (index, join, judge, bucket) and what one
// click costs on the host (building a sample view). Other work on the 2 cores makes figures
// noisy: each is the median of 5 rounds.
import { indexText } from '../src/core/dataset/indexer.ts';
import { buildBrowseIndex, judgeRuns } from '../src/core/inspect/runIndex.ts';
import { buildSampleView } from '../src/core/inspect/sample.ts';
import { itemRef } from '../src/core/inspect/identity.ts';

const entries = [];
const items = [];
for (let v = 0; v < 2000; v++) {
  const GRPO = [];
  for (let k = 0; k < 10; k++) {
    GRPO.push({
      q: `video ${v}: a person does thing ${k}.`,
      a: k === 0 ? '<answer>1.5 to 4.0</answer>' : '<answer>The video shows no such thing.</answer>',
      r: k === 0,
      difficulty: k === 0 ? 'original' : 'medium',
      c: k === 0 ? [] : ['Action/FineGrainedAction'],
    });
  }
  entries.push({ video: `/data/x/V${v}.mp4`, timestamp: [1.5, 4], duration: 20, GRPO });
  for (const g of GRPO) {
    items.push({
      video: `/data/x/V${v}.mp4`,
      query: g.q,
      model_output:
        `<think>\n<timestep>0.0 to 3.0</timestep> a person stands.\n</think>\n` +
        `<answer>${g.r ? '1.0 to 3.5' : 'No such action.'}</answer>\n<correction>NIL</correction>`,
      gt_relevant: g.r,
      gt_timestamp: g.r ? [1.5, 4] : null,
      gt_output: g.a,
      gt_categories: g.c,
    });
  }
}
const annoText = JSON.stringify(entries, null, 2);
const runText = JSON.stringify(items, null, 2);

const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const indexMs = [];
const viewMs = [];
for (let round = 0; round < 5; round++) {
  const t0 = performance.now();
  const files = [indexText('anno.json', annoText), indexText('run.json', runText)];
  const index = buildBrowseIndex(files);
  await judgeRuns(index);
  indexMs.push(performance.now() - t0);
  // References by identity, made before the clock starts, as the tree makes them before the click.
  const refs = Array.from({ length: 100 }, (_, i) => itemRef(index, files[1], (i * 197) % 20000));
  const t1 = performance.now();
  for (const ref of refs) buildSampleView(index, ref);
  viewMs.push((performance.now() - t1) / 100);
}
console.log(
  `index + judge 20,000 queries and their run (ms): ${median(indexMs).toFixed(0)} (target ≤ 3000, off the UI path)`,
);
console.log(`sample view for one click (ms): ${median(viewMs).toFixed(2)} (target ≤ 20 of the 150 ms repaint budget)`);
