import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, rarft, type CliRun } from '../../support/cli';
import { ROOT, referencePath, tempDir, text } from '../../support/fixtures';
import { startHubServer } from '../../support/hubServer';
import { TINY_VOCAB, writeModelFolder } from '../../support/tinyBert';
import { loadOnnxEmbedder } from '../../../src/core/embed/onnxEmbedder';
import { cosine } from '../../../src/core/embed/embedder';
import { gtText, reasoningText } from '../../../src/core/text';

let dir: string;
let files: Record<string, Uint8Array>;

before(async () => {
  dir = tempDir('rarft-embed-cli-');
  files = await writeModelFolder(join(dir, 'source'), {
    shape: {
      vocabSize: TINY_VOCAB.length + 5,
      hidden: 32,
      layers: 1,
      heads: 4,
      intermediate: 64,
      maxPositions: 512,
      seed: 21,
    },
    vocab: TINY_VOCAB,
    onnxSubfolder: true,
  });
});

/** Runs the CLI without blocking this process (the hub server answers from here). */
function rarftAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  ensureBuilt();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'rarft.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('rarft models download fetches into --to, resumes after a dropped connection, and the folder works', async () => {
  const hub = await startHubServer({ 'sentence-transformers/tiny': files }, { dropAfter: { 'onnx/model.onnx': 7000 } });
  try {
    const to = join(dir, 'dl');
    const r = await rarftAsync(['models', 'download', 'tiny', '--to', to, '--base-url', hub.baseUrl]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sentence-transformers\/tiny → .*dl \(4 fetched, 0 already complete\)/);
    assert.match(r.stdout, /--model .*dl/);
    assert.ok(hub.requests.some((q) => q.range === 'bytes=7000-'));
    assert.ok(Buffer.from(files['onnx/model.onnx']).equals(readFileSync(join(to, 'onnx/model.onnx'))));
    // Default folder under RARFT_CACHE_DIR.
    const r2 = await rarftAsync(['models', 'download', 'tiny', '--base-url', hub.baseUrl], {
      RARFT_CACHE_DIR: join(dir, 'cache'),
    });
    assert.equal(r2.status, 0, r2.stderr);
    assert.ok(existsSync(join(dir, 'cache', 'models', 'tiny', 'tokenizer.json')));
    const bad = await rarftAsync(['models', 'download', 'missing', '--to', join(dir, 'x'), '--base-url', hub.baseUrl]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /sentence-transformers\/missing .* is not on/);
  } finally {
    await hub.close();
  }
  assert.equal(rarft(['models']).status, 2);
  assert.equal(rarft(['models', 'list']).status, 2);
});

test('rarft evaluate --sbert fills the SBERT similarity with the model; without it, it is not computed', async () => {
  const all = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')) as any[];
  const sample = all.filter((it) => !it.gt_relevant && /<answer>/.test(it.model_output)).slice(0, 12);
  assert.equal(sample.length, 12);
  writeFileSync(join(dir, 'few.json'), text(sample));
  const modelDir = join(dir, 'source');
  const r = rarft(
    [
      'evaluate',
      join(dir, 'few.json'),
      '--out',
      join(dir, 'm.json'),
      '--items-out',
      join(dir, 'it.json'),
      '--sbert',
      modelDir,
    ],
    ROOT,
    { RARFT_CACHE_DIR: join(dir, 'cache') },
  );
  assert.equal(r.status, 0, r.stderr);
  const judged = JSON.parse(readFileSync(join(dir, 'it.json'), 'utf8')) as any[];
  const e = await loadOnnxEmbedder(modelDir);
  let checked = 0;
  for (const it of judged) {
    const reasoning = reasoningText(it.model_output);
    const gt = gtText(it.gt_output);
    if (!gt || !reasoning) continue;
    const [a, b] = await e.embed([reasoning, gt]);
    const expected = Math.max(0, Math.min(1, cosine(a, b)));
    assert.equal(typeof it.sbert_similarity, 'number');
    assert.ok(Math.abs(it.sbert_similarity - expected) < 1e-6);
    checked++;
  }
  await e.close();
  assert.ok(checked >= 10);
  const metrics = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
  assert.equal(
    metrics.evaluation.not_computed.items_by_reason['sbert: no sentence model (pass --sbert DIR)'],
    undefined,
  );

  const r2 = rarft([
    'evaluate',
    join(dir, 'few.json'),
    '--out',
    join(dir, 'm2.json'),
    '--items-out',
    join(dir, 'it2.json'),
  ]);
  assert.equal(r2.status, 0, r2.stderr);
  const judged2 = JSON.parse(readFileSync(join(dir, 'it2.json'), 'utf8')) as any[];
  assert.ok(judged2.every((it) => it.sbert_similarity === undefined));
  const bad = rarft(['evaluate', join(dir, 'few.json'), '--out', join(dir, 'm3.json'), '--sbert', join(dir, 'nope')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--sbert .*rarft models download/);
});
