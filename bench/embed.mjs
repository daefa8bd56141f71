// Sentence-embedding benchmark. Run: node --import tsx bench/embed.mjs   (or npm run bench)
// Generates a MiniLM-sized encoder with random weights (6 layers, hidden 384, 12 heads, FFN 1536,
// vocabulary 30,522) into bench/.data (gitignored; reused when present), then measures:
//   1. sentences/s of the whole pipeline (tokenise, batch 32, run, pool) on 32-token texts;
//   2. its overhead over a bare session.run on the same texts pre-tokenised into tensors (< 15%);
//   3. embeddings/s in a real evaluation run (SBERT step over the 2,194 reference items, dedup on).
// Other work on the 2 cores makes figures noisy: each is the median of several rounds.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeModelFolder, MINILM_SHAPE } from '../test/support/tinyBert.ts';
import { loadOnnxEmbedder } from '../src/core/embed/onnxEmbedder.ts';
import { embedderSimilarity } from '../src/core/embed/similarity.ts';
import { judgeItems } from '../src/core/eval/evaluate.ts';
import { offlineJudge } from '../src/core/eval/judge.ts';

const here = dirname(fileURLToPath(import.meta.url));
const modelDir = join(here, '.data', 'minilm-random');
const itemsPath = join(here, '..', 'test', 'fixtures', 'reference', 'charades.offline.items.json');
const items = JSON.parse(readFileSync(itemsPath, 'utf8'));

// Vocabulary: the words of the reference items (so real texts tokenise to realistic lengths),
// filled up with synthetic words to MiniLM's 30,522 entries.
function vocabulary() {
  const words = new Set();
  for (const it of items)
    for (const s of [it.model_output, it.gt_output, it.query])
      for (const w of String(s ?? '')
        .toLowerCase()
        .match(/[a-z]+|[0-9]+|[^\sa-z0-9]/g) ?? [])
        words.add(w);
  const vocab = [...words].sort();
  for (let i = 0; vocab.length < MINILM_SHAPE.vocabSize - 5; i++) {
    const w = `x${i.toString(36)}`;
    if (!words.has(w)) vocab.push(w);
  }
  return vocab;
}

const marker = join(modelDir, 'bench-shape.json');
const shapeText = JSON.stringify(MINILM_SHAPE);
if (!existsSync(marker) || readFileSync(marker, 'utf8') !== shapeText) {
  const t0 = performance.now();
  await writeModelFolder(modelDir, { shape: MINILM_SHAPE, vocab: vocabulary(), maxSeqLength: 256 });
  writeFileSync(marker, shapeText);
  console.log(`(generated ${modelDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let seed = 1;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const synth = JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')).model.vocab;
const plainWords = Object.keys(synth).filter((w) => /^x[0-9a-z]+$/.test(w));
/** 30 words → 32 tokens with [CLS] and [SEP]. */
const sentences = (n) =>
  Array.from({ length: n }, () =>
    Array.from({ length: 30 }, () => plainWords[Math.floor(rand() * plainWords.length)]).join(' '),
  );

const BATCH = 32;
const N = 256;
const ROUNDS = 5;
const e = await loadOnnxEmbedder(modelDir, { batchSize: BATCH, cacheDir: null });
const session = e.session;
// Time spent inside session.run during the pipeline: the rest is our tokenise+batch+pool.
const run = session.run.bind(session);
let inRun = 0;
session.run = async (...args) => {
  const t0 = performance.now();
  try {
    return await run(...args);
  } finally {
    inRun += performance.now() - t0;
  }
};
await e.embed(sentences(64)); // warm-up

const pipeline = [];
const bare = [];
const outside = [];
for (let r = 0; r < ROUNDS; r++) {
  const texts = sentences(N);
  const encoded = texts.map((t) => e.encode(t));
  if (encoded.some((x) => x.ids.length !== 32)) throw new Error('expected 32-token texts');
  const feeds = [];
  for (let i = 0; i < N; i += BATCH) feeds.push(e.tensors(encoded.slice(i, i + BATCH)));
  let t0 = performance.now();
  for (const f of feeds) await run(f);
  bare.push(performance.now() - t0);
  inRun = 0;
  t0 = performance.now();
  await e.embed(texts);
  const total = performance.now() - t0;
  pipeline.push(total);
  outside.push((total - inRun) / inRun);
}
await e.close();
const pipeMs = median(pipeline);
const bareMs = median(bare);
const ab = pipeline.map((p, i) => p / bare[i] - 1);
console.log(
  `embed sentences/s (32-token texts, batch 32): ${((N * 1000) / pipeMs).toFixed(0)} ` +
    `(target ≥ 200 on a quiet machine; bare session.run in the same rounds ${((N * 1000) / bareMs).toFixed(0)})`,
);
console.log(
  `embed overhead of tokenise+batch+pool over bare session.run: ${(100 * median(outside)).toFixed(1)}% (target < 15%) ` +
    `[time outside session.run within the pipeline; pipeline vs separate bare runs: ${(100 * median(ab)).toFixed(1)}%, noisy]`,
);

// A real evaluation run: the SBERT step over the reference items with the offline judge, then the
// same run again on the same embedder (every text a memory-cache hit).
const ev = await loadOnnxEmbedder(modelDir, { batchSize: BATCH, cacheDir: null });
let t0 = performance.now();
await judgeItems(items, { judge: offlineJudge, similarity: embedderSimilarity(ev) });
const coldMs = performance.now() - t0;
const cold = { ...ev.stats };
t0 = performance.now();
await judgeItems(items, { judge: offlineJudge, similarity: embedderSimilarity(ev) });
const warmMs = performance.now() - t0;
const warmTexts = ev.stats.requested - cold.requested;
await ev.close();
console.log(
  `embed evaluation run (${items.length} items, dedup on): ${((cold.requested * 1000) / coldMs).toFixed(0)} embeddings/s ` +
    `(${cold.requested} texts, ${cold.computed} run through the model in ${cold.batches} batches, ${(coldMs / 1000).toFixed(1)} s) (target: report)`,
);
console.log(
  `embed evaluation run again, cache warm: ${((warmTexts * 1000) / warmMs).toFixed(0)} embeddings/s ` +
    `(${warmTexts} texts, ${ev.stats.computed - cold.computed} run through the model) (target: report)`,
);
