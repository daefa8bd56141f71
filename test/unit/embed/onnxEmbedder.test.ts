import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadOnnxEmbedder } from '../../../src/core/embed/onnxEmbedder';
import { cosine } from '../../../src/core/embed/embedder';
import { embedderSimilarity } from '../../../src/core/embed/similarity';
import { TINY_VOCAB, writeModelFolder, type BertShape } from '../../support/tinyBert';

const SHAPE: BertShape = {
  vocabSize: TINY_VOCAB.length + 5,
  hidden: 32,
  layers: 2,
  heads: 4,
  intermediate: 64,
  maxPositions: 64,
  seed: 11,
};
let root: string;
let modelDir: string;
let modelBytes: Uint8Array;

const SENTENCES = [
  'the man is reading a book.',
  'a woman sits on the bed in the room',
  'dog',
  'The video does not show a person cleaning the red car with a towel, no segment matches the query!',
  'a cat runs to the door?',
  'person walks to the window',
];

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'rarft-embed-'));
  modelDir = join(root, 'model');
  const files = await writeModelFolder(modelDir, { shape: SHAPE, vocab: TINY_VOCAB });
  modelBytes = files['model.onnx'];
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

test('tokenises as BERT WordPiece does: [CLS] … [SEP], lower case, sub-word pieces', async () => {
  const e = await loadOnnxEmbedder(modelDir);
  const enc = e.encode('The man WALKS.');
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...TINY_VOCAB];
  assert.deepEqual(
    enc.ids.map((i) => vocab[i]),
    ['[CLS]', 'the', 'man', 'walk', '##s', '.', '[SEP]'],
  );
  assert.deepEqual(enc.typeIds, [0, 0, 0, 0, 0, 0, 0]);
  await e.close();
});

test('mean pooling equals a hand computation on the raw graph output', async () => {
  const e = await loadOnnxEmbedder(modelDir);
  const session = await ort.InferenceSession.create(modelBytes);
  for (const text of SENTENCES) {
    const { ids } = e.encode(text);
    const S = ids.length;
    const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v, BigInt), [1, S]);
    const out = await session.run({
      input_ids: t(ids),
      attention_mask: t(ids.map(() => 1)),
      token_type_ids: t(ids.map(() => 0)),
    });
    const data = out.last_hidden_state.data as Float32Array;
    const H = SHAPE.hidden;
    const mean = new Array(H).fill(0);
    for (let j = 0; j < S; j++) for (let h = 0; h < H; h++) mean[h] += data[j * H + h] / S;
    const norm = Math.hypot(...mean);
    const expected = mean.map((x) => x / norm);
    const [got] = await e.embed([text]);
    assert.ok(maxDiff(got, expected) < 1e-6, text);
    assert.ok(Math.abs(Math.hypot(...Array.from(got)) - 1) < 1e-6);
  }
  await session.release();
  await e.close();
});

test('padding and batch composition never change an embedding', async () => {
  const alone = await loadOnnxEmbedder(modelDir, { batchSize: 1 });
  const solo = new Map<string, ArrayLike<number>>();
  for (const s of SENTENCES) solo.set(s, (await alone.embed([s]))[0]);
  await alone.close();
  let worst = 0;
  for (const batchSize of [2, 3, 32]) {
    const e = await loadOnnxEmbedder(modelDir, { batchSize });
    const vs = await e.embed([...SENTENCES].reverse());
    [...SENTENCES].reverse().forEach((s, i) => (worst = Math.max(worst, maxDiff(vs[i], solo.get(s)!))));
    await e.close();
  }
  // A short text padded to the longest one in the same batch, run directly.
  const e = await loadOnnxEmbedder(modelDir);
  const short = e.encode(SENTENCES[2]);
  const long = e.encode(SENTENCES[3]);
  assert.ok(long.ids.length > short.ids.length + 10);
  const [padded] = await e.runBatch([short, long]);
  worst = Math.max(worst, maxDiff(padded, solo.get(SENTENCES[2])!));
  await e.close();
  assert.ok(worst < 1e-6, `largest difference ${worst}`);
});

test('identical texts are embedded once; the memory and disk caches are hit', async () => {
  const cacheDir = join(root, 'cache');
  const e = await loadOnnxEmbedder(modelDir, { cacheDir });
  const vs = await e.embed(['dog', 'cat', 'dog', 'dog']);
  assert.equal(e.stats.computed, 2);
  assert.deepEqual(Array.from(vs[0]), Array.from(vs[2]));
  await e.embed(['cat', 'a man']);
  assert.equal(e.stats.computed, 3);
  assert.equal(e.stats.memoryHits, 1);
  await e.close();
  const shards = await readdir(join(cacheDir, e.id));
  assert.ok(shards.length >= 1 && shards.every((f) => /^[0-9a-f]{2}\.json$/.test(f)), shards.join());

  const again = await loadOnnxEmbedder(modelDir, { cacheDir });
  assert.equal(again.id, e.id);
  const ws = await again.embed(['dog', 'cat', 'a man']);
  assert.equal(again.stats.computed, 0);
  assert.equal(again.stats.diskHits, 3);
  assert.deepEqual(Array.from(ws[0]), Array.from(vs[0]));
  await again.close();
});

test('the fingerprint follows the model files, so another model never reads these cached vectors', async () => {
  const cacheDir = join(root, 'cache2');
  const a = await loadOnnxEmbedder(modelDir, { cacheDir });
  const [va] = await a.embed(['a man sits']);
  await a.close();
  const otherDir = join(root, 'other');
  await writeModelFolder(otherDir, { shape: { ...SHAPE, seed: 12 }, vocab: TINY_VOCAB, onnxSubfolder: true });
  const b = await loadOnnxEmbedder(otherDir, { cacheDir });
  assert.notEqual(b.id, a.id);
  const [vb] = await b.embed(['a man sits']);
  assert.equal(b.stats.computed, 1);
  assert.ok(maxDiff(va, vb) > 1e-3);
  await b.close();
  const same = await loadOnnxEmbedder(join(root, 'model'));
  assert.equal(same.id, a.id);
  await same.close();
});

test('truncates to the model limit, keeping [SEP] last', async () => {
  const long = Array.from({ length: 40 }, (_, i) => TINY_VOCAB[5 + (i % 20)]).join(' ');
  const dir = join(root, 'short');
  await writeModelFolder(dir, { shape: SHAPE, vocab: TINY_VOCAB, maxSeqLength: 12 });
  const e = await loadOnnxEmbedder(dir);
  const enc = e.encode(long);
  assert.equal(enc.ids.length, 12);
  assert.equal(enc.ids[0], 2);
  assert.equal(enc.ids[11], 3);
  const [v] = await e.embed([long]);
  assert.equal(v.length, SHAPE.hidden);
  await e.close();
});

test('a model without a token_type_ids input is fed without it', async () => {
  const dir = join(root, 'notypes');
  await writeModelFolder(dir, { shape: { ...SHAPE, noTokenTypes: true }, vocab: TINY_VOCAB });
  const e = await loadOnnxEmbedder(dir);
  const [v] = await e.embed(['a cat']);
  assert.ok(Math.abs(Math.hypot(...Array.from(v)) - 1) < 1e-6);
  await e.close();
});

test('concurrent similarity calls share batches and give the cosine', async () => {
  const e = await loadOnnxEmbedder(modelDir, { batchSize: 32 });
  const sim = embedderSimilarity(e);
  const pairs = SENTENCES.map((s, i) => [s, SENTENCES[(i + 1) % SENTENCES.length]] as const);
  const sims = await Promise.all(pairs.map(([a, b]) => sim(a, b)));
  assert.equal(e.stats.batches, 1);
  const vs = await e.embed(SENTENCES);
  pairs.forEach(([,], i) => assert.ok(Math.abs((sims[i] as number) - cosine(vs[i], vs[(i + 1) % vs.length])) < 1e-12));
  assert.equal(
    sims.every((s) => typeof s === 'number' && s <= 1 + 1e-9 && s >= -1 - 1e-9),
    true,
  );
  await e.close();
});

test('a folder without a model says how to get one', async () => {
  await assert.rejects(loadOnnxEmbedder(join(root, 'nothing-here')), /rarft models download all-MiniLM-L6-v2/);
});

test('an aborted signal stops embedding', async () => {
  const e = await loadOnnxEmbedder(modelDir);
  const c = new AbortController();
  c.abort();
  await assert.rejects(e.embed(['x'], c.signal), { name: 'AbortError' });
  await e.close();
});
