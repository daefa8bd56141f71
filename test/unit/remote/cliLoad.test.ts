/**
 * `rarft remote` loads only what it needs: no ONNX runtime or tokenizer (the embedding judge's
 * native modules), which `rarft evaluate --sbert` pulls in, so a status call starts quickly.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rarft } from '../../support/cli';
import { tempDir } from '../../support/fixtures';

/** The modules a CLI run required, from a preloaded hook that notes each require. */
function requiredBy(args: string[], anyStatus = false): string[] {
  const dir = tempDir('rarft-cli-load-');
  const hook = join(dir, 'hook.cjs');
  const outFile = join(dir, 'required.json');
  writeFileSync(
    hook,
    [
      "const M = require('module'); const seen = new Set(); const orig = M.prototype.require;",
      'M.prototype.require = function (id) { seen.add(id); return orig.apply(this, arguments); };',
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(outFile)}, JSON.stringify([...seen])));`,
    ].join('\n'),
  );
  try {
    const r = rarft(args, dir, { NODE_OPTIONS: `--require ${hook}` });
    if (!anyStatus) assert.equal(r.status, 0, r.stderr);
    return JSON.parse(readFileSync(outFile, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('rarft remote status requires no ONNX runtime or tokenizer (the hook sees what it does require)', () => {
  const ws = tempDir('rarft-cli-load-ws-');
  try {
    const remote = requiredBy(['remote', 'status', '--json', '--workspace', ws]);
    assert.ok(remote.includes('node:child_process'), `the hook saw: ${remote.join(' ')}`);
    for (const heavy of ['onnxruntime-node', '@huggingface/tokenizers'])
      assert.ok(!remote.includes(heavy), `rarft remote status loaded ${heavy}`);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('rarft evaluate with the offline judge requires no OpenAI client; --judge llm does (it is outside the bundle)', () => {
  const dir = tempDir('rarft-cli-load-run-');
  try {
    const run = join(dir, 'run.json');
    const items = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../fixtures/reference/charades.offline.items.json'), 'utf8'),
    );
    writeFileSync(run, JSON.stringify(items.slice(0, 20)));
    const offline = requiredBy(['evaluate', run, '--out', join(dir, 'm.json')]);
    assert.ok(
      offline.includes('node:fs/promises') || offline.includes('fs/promises'),
      `the hook saw: ${offline.join(' ')}`,
    );
    assert.ok(!offline.includes('openai'), 'rarft evaluate (offline) loaded the OpenAI client');
    // A server that refuses the connection: the judge records errors, but it had to load the client.
    const llm = requiredBy(
      ['evaluate', run, '--out', join(dir, 'm2.json'), '--judge', 'llm', '--model', 'm'].concat([
        '--base-url',
        'http://127.0.0.1:9/v1',
        '--max-retries',
        '0',
        '--no-cache',
      ]),
      true,
    );
    assert.ok(llm.includes('openai'), `rarft evaluate --judge llm did not load the OpenAI client: ${llm.join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
