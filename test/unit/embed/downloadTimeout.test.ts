import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadError, downloadModel } from '../../../src/core/embed/download';
import { rarft } from '../../support/cli';
import { startHubServer } from '../../support/hubServer';
import { TINY_VOCAB, writeModelFolder } from '../../support/tinyBert';

const REPO = 'sentence-transformers/tiny-test-model';
let root: string;
let files: Record<string, Uint8Array>;
let silent: Server;
let silentUrl: string;
const sockets = new Set<Socket>();

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'rarft-dl-timeout-'));
  files = await writeModelFolder(join(root, 'source'), {
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
  });
  // Accepts connections and never answers (a wedged mirror or proxy).
  silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
  await rm(root, { recursive: true, force: true });
});

// "Not never" is the test's own timeout: no wall-clock bound is asserted (the message names the timer that fired).
test('a hub that accepts the connection but never answers fails after the timeout, not never', {
  timeout: 60_000,
}, async () => {
  await assert.rejects(
    downloadModel({ name: REPO, to: join(root, 'a'), baseUrl: silentUrl, timeoutMs: 300 }),
    (e: unknown) => {
      assert.ok(e instanceof DownloadError, String(e));
      assert.match(e.message, /no answer .*within 0\.3 s/);
      assert.ok(e.message.includes(silentUrl), e.message);
      return true;
    },
  );
});

test('a file that stalls part-way is retried after the idle timeout, and the partial file is kept for resume', async () => {
  const hub = await startHubServer({ [REPO]: files }, { stallAfter: { 'onnx/model.onnx': 9000 } });
  try {
    await assert.rejects(
      downloadModel({
        name: REPO,
        to: join(root, 'b'),
        baseUrl: hub.baseUrl,
        timeoutMs: 300,
        attempts: 2,
        retryDelayMs: 10,
      }),
      (e: unknown) => {
        assert.ok(e instanceof DownloadError, String(e));
        assert.match(e.message, /onnx\/model\.onnx: download failed after 2 attempts: .*no data for 0\.3 s/);
        return true;
      },
    );
    assert.ok(
      hub.requests.some((q) => q.range === 'bytes=9000-'),
      'the retry resumed from the bytes already in',
    );
  } finally {
    await hub.close();
  }
  assert.ok((await readFile(join(root, 'b', 'onnx/model.onnx.part'))).length >= 9000);
});

test('rarft models download: a silent server fails with exit 1 and a clear message within --timeout', {
  timeout: 60_000,
}, () => {
  const r = rarft([
    'models',
    'download',
    'all-MiniLM-L6-v2',
    '--to',
    join(root, 'c'),
    '--base-url',
    silentUrl,
    '--timeout',
    '0.5',
  ]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /no answer .*within 0\.5 s/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(rarft(['models', 'download', 'x', '--timeout', 'soon']).status, 2);
});
