import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadModel, repoOf, type DownloadProgress } from '../../../src/core/embed/download';
import { loadOnnxEmbedder } from '../../../src/core/embed/onnxEmbedder';
import { readModelFolder } from '../../../src/core/embed/modelFolder';
import { startHubServer } from '../../support/hubServer';
import { TINY_VOCAB, writeModelFolder } from '../../support/tinyBert';

const REPO = 'sentence-transformers/tiny-test-model';
let root: string;
let source: string;
let files: Record<string, Uint8Array>;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'rarft-dl-'));
  source = join(root, 'source');
  files = await writeModelFolder(source, {
    shape: {
      vocabSize: TINY_VOCAB.length + 5,
      hidden: 32,
      layers: 1,
      heads: 4,
      intermediate: 64,
      maxPositions: 64,
      seed: 5,
    },
    vocab: TINY_VOCAB,
    onnxSubfolder: true,
    maxSeqLength: 48,
  });
  files['special_tokens_map.json'] = new TextEncoder().encode(JSON.stringify({ pad_token: '[PAD]' }));
  await writeFile(join(source, 'special_tokens_map.json'), files['special_tokens_map.json']);
  files['README.md'] = new TextEncoder().encode('not fetched');
  assert.ok(files['onnx/model.onnx'].length > 20_000, 'the model is large enough to be an LFS file and to be cut');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const dest = (name: string) => join(root, name);

test('downloads the ONNX export in the hub layout; the folder loads and matches the source', async () => {
  const hub = await startHubServer({ [REPO]: files });
  try {
    const progress: DownloadProgress[] = [];
    const r = await downloadModel({
      name: 'tiny-test-model',
      to: dest('a'),
      baseUrl: hub.baseUrl,
      onProgress: (p) => progress.push(p),
    });
    assert.equal(r.repo, REPO);
    assert.deepEqual(r.files.map((f) => f.path).sort(), [
      'config.json',
      'onnx/model.onnx',
      'sentence_bert_config.json',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    for (const f of r.files) assert.ok(Buffer.from(files[f.path]).equals(await readFile(join(dest('a'), f.path))));
    assert.ok(!existsSync(join(dest('a'), 'README.md')));
    const last = progress[progress.length - 1];
    assert.equal(last.bytes, last.total);
    assert.ok(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1].bytes));
    // The LFS file went through the CDN redirect.
    assert.ok(hub.requests.some((q) => q.url.startsWith('/cdn/')));
    const e = await loadOnnxEmbedder(dest('a'));
    assert.equal(e.id, (await readModelFolder(source)).fingerprint);
    assert.equal(e.folder.maxLength, 48);
    await e.close();

    // A second run finds every file complete and fetches nothing.
    const before = hub.requests.length;
    const again = await downloadModel({ name: REPO, to: dest('a'), baseUrl: hub.baseUrl + '/' });
    assert.ok(again.files.every((f) => f.skipped));
    assert.deepEqual(
      hub.requests.slice(before).map((q) => q.url.split('?')[0]),
      [`/api/models/${REPO}/tree/main`],
    );
  } finally {
    await hub.close();
  }
});

test('a connection dropped mid-file is resumed with Range', async () => {
  const cut = 12_345;
  const hub = await startHubServer({ [REPO]: files }, { dropAfter: { 'onnx/model.onnx': cut } });
  try {
    await downloadModel({ name: REPO, to: dest('b'), baseUrl: hub.baseUrl });
    assert.ok(Buffer.from(files['onnx/model.onnx']).equals(await readFile(join(dest('b'), 'onnx/model.onnx'))));
    const ranges = hub.requests.filter((q) => q.range && q.url.startsWith('/cdn/')).map((q) => q.range);
    assert.deepEqual(ranges, [`bytes=${cut}-`]);
    assert.deepEqual(
      (await readdir(join(dest('b'), 'onnx'))).filter((f) => f.endsWith('.part')),
      [],
    );
  } finally {
    await hub.close();
  }
});

test('a partial file left by an earlier run is resumed, or restarted when the server ignores Range', async () => {
  for (const ignoreRange of [false, true]) {
    const hub = await startHubServer({ [REPO]: files }, { ignoreRange });
    const dir = dest(`c${ignoreRange}`);
    try {
      await mkdir(join(dir, 'onnx'), { recursive: true });
      await writeFile(join(dir, 'onnx/model.onnx.part'), files['onnx/model.onnx'].subarray(0, 5000));
      await downloadModel({ name: REPO, to: dir, baseUrl: hub.baseUrl });
      assert.ok(Buffer.from(files['onnx/model.onnx']).equals(await readFile(join(dir, 'onnx/model.onnx'))));
      assert.ok(hub.requests.some((q) => q.range === 'bytes=5000-'));
    } finally {
      await hub.close();
    }
  }
});

test('a corrupted file fails the hash check with a clear error and is not kept', async () => {
  for (const path of ['onnx/model.onnx', 'tokenizer.json']) {
    const hub = await startHubServer({ [REPO]: files }, { corrupt: [path] });
    const dir = dest(`d-${path.replace('/', '_')}`);
    try {
      await assert.rejects(downloadModel({ name: REPO, to: dir, baseUrl: hub.baseUrl }), (e: Error) => {
        assert.equal(e.name, 'DownloadError');
        assert.match(e.message, new RegExp(`^${path}: .*mismatch .*not kept`));
        return true;
      });
      assert.ok(!existsSync(join(dir, path)));
      assert.ok(!existsSync(join(dir, path + '.part')));
    } finally {
      await hub.close();
    }
  }
});

test('cancelling keeps the partial file for a later resume', async () => {
  const stalled = await startHubServer({ [REPO]: files }, { stallAfter: { 'onnx/model.onnx': 9000 } });
  try {
    const c = new AbortController();
    await assert.rejects(
      downloadModel({
        name: REPO,
        to: dest('e'),
        baseUrl: stalled.baseUrl,
        signal: c.signal,
        onProgress: (p) => p.file === 'onnx/model.onnx' && p.fileBytes >= 9000 && c.abort(),
      }),
      { name: 'AbortError' },
    );
  } finally {
    await stalled.close();
  }
  assert.ok(!existsSync(join(dest('e'), 'onnx/model.onnx')));
  assert.equal((await readFile(join(dest('e'), 'onnx/model.onnx.part'))).length, 9000);
  const hub = await startHubServer({ [REPO]: files });
  try {
    const r = await downloadModel({ name: REPO, to: dest('e'), baseUrl: hub.baseUrl });
    assert.equal(r.files.length, 6);
    assert.ok(hub.requests.some((q) => q.range === 'bytes=9000-'));
    assert.ok(Buffer.from(files['onnx/model.onnx']).equals(await readFile(join(dest('e'), 'onnx/model.onnx'))));
  } finally {
    await hub.close();
  }
});

// The backoff is ten minutes: were Retry-After: 0 not honoured, the test's own timeout would fail it (no wall-clock bound).
test('server errors are retried (Retry-After honoured), then reported with the attempt count', {
  timeout: 60_000,
}, async () => {
  const hub = await startHubServer({ [REPO]: files }, { failFirst: { 'tokenizer.json': 2, 'config.json': 10 } });
  try {
    await assert.rejects(
      downloadModel({ name: REPO, to: dest('g'), baseUrl: hub.baseUrl, attempts: 3, retryDelayMs: 600_000 }),
      /^DownloadError: config\.json: download failed after 3 attempts: .*HTTP 503/,
    );
    assert.ok(Buffer.from(files['tokenizer.json']).equals(await readFile(join(dest('g'), 'tokenizer.json'))));
    assert.equal(hub.requests.filter((q) => q.url.endsWith('/tokenizer.json')).length, 3);
    assert.equal(hub.requests.filter((q) => q.url.endsWith('/config.json')).length, 3);
  } finally {
    await hub.close();
  }
});

test('unknown repositories, non-ONNX repositories and bad names are clear errors', async () => {
  const { 'onnx/model.onnx': _, ...noOnnx } = files;
  const hub = await startHubServer({ [REPO]: files, 'sentence-transformers/plain': noOnnx });
  try {
    await assert.rejects(
      downloadModel({ name: 'nope', to: dest('f'), baseUrl: hub.baseUrl }),
      /sentence-transformers\/nope \(revision main\) is not on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/,
    );
    await assert.rejects(
      downloadModel({ name: 'plain', to: dest('f'), baseUrl: hub.baseUrl }),
      /has no onnx\/model\.onnx/,
    );
    assert.throws(() => repoOf('../etc'), /not a model name/);
    assert.equal(repoOf('all-mpnet-base-v2'), 'sentence-transformers/all-mpnet-base-v2');
  } finally {
    await hub.close();
  }
});
