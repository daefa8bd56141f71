/** nvidia-smi's GPU query output (fixtures in nvidia-smi's shapes) parsed for Check Host and the Jobs view. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkScript, gpuSummary, parseCheck, parseNvidiaSmi } from '../../../src/core/remote/check';
import { ROOT, tempDir } from '../../support/fixtures';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', 'nvidia-smi', name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

test('four A100s, no header and no units: every field, the summary averages the use', () => {
  const r = parseNvidiaSmi(read('a100x4.noheader-nounits.csv'));
  assert.equal(r.problem, undefined);
  assert.equal(r.gpus.length, 4);
  assert.deepEqual(r.gpus[0], {
    index: 0,
    name: 'NVIDIA A100-SXM4-80GB',
    memoryTotalMiB: 81920,
    memoryUsedMiB: 64213,
    utilizationPercent: 97,
  });
  assert.deepEqual(
    r.gpus.map((g) => [g.index, g.memoryUsedMiB, g.utilizationPercent]),
    [
      [0, 64213, 97],
      [1, 63990, 95],
      [2, 4, 0],
      [3, 64102, 96],
    ],
  );
  assert.equal(gpuSummary(r.gpus), '4 GPU 72%');
});

test('--format=csv with its header and units reads the same way', () => {
  const r = parseNvidiaSmi(read('rtx3090x2.header-units.csv'));
  assert.equal(r.problem, undefined);
  assert.deepEqual(r.gpus[1], {
    index: 1,
    name: 'NVIDIA GeForce RTX 3090',
    memoryTotalMiB: 24576,
    memoryUsedMiB: 23010,
    utilizationPercent: 100,
  });
  assert.equal(gpuSummary(r.gpus), '2 GPU 56%');
});

test('[N/A] and [Not Supported] are null, never 0 or NaN; a name may hold a comma', () => {
  const r = parseNvidiaSmi(read('na-values.noheader-nounits.csv'));
  assert.equal(r.problem, undefined);
  assert.deepEqual(r.gpus, [
    { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, memoryUsedMiB: 0, utilizationPercent: null },
    { index: 1, name: 'GRID T4-16C, Virtual', memoryTotalMiB: 16384, memoryUsedMiB: null, utilizationPercent: null },
  ]);
  assert.equal(gpuSummary(r.gpus), '2 GPU');
  assert.equal(gpuSummary([]), '');
  assert.equal(gpuSummary(null), '');
});

test('a driver failure is a problem with its message, not a GPU row', () => {
  const text = read('driver-failure.txt');
  const r = parseNvidiaSmi(text, 9);
  assert.deepEqual(r.gpus, []);
  assert.equal(r.problem, `nvidia-smi failed (exit 9): ${text.trim()}`);
  assert.match(
    parseNvidiaSmi(text).problem ?? '',
    /^nvidia-smi printed lines that are no GPU row: NVIDIA-SMI has failed/,
  );
});

test('the probe script run by sh with a stand-in nvidia-smi on PATH: GPUs found, a failing one named as missing', () => {
  const bin = tempDir('rarft-fake-smi-');
  try {
    const smi = join(bin, 'nvidia-smi');
    const stand = (out: string, code: number) => {
      copyFileSync(fixture(out), join(bin, 'out.txt'));
      writeFileSync(smi, `#!/bin/sh\ncat "$(dirname "$0")/out.txt"\nexit ${code}\n`);
      chmodSync(smi, 0o755);
      const r = spawnSync('/bin/sh', ['-s'], {
        input: checkScript('.'),
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
      assert.equal(r.status, 0, r.stderr);
      return parseCheck('h', '.', r.stdout);
    };
    const ok = stand('a100x4.noheader-nounits.csv', 0);
    assert.deepEqual(
      ok.gpus?.map((g) => g.utilizationPercent),
      [97, 95, 0, 96],
    );
    assert.ok(!ok.missing.some((m) => /nvidia-smi/.test(m)), ok.missing.join('\n'));
    const bad = stand('driver-failure.txt', 9);
    assert.deepEqual(bad.gpus, []);
    assert.ok(
      bad.missing.includes(`nvidia-smi failed (exit 9): ${read('driver-failure.txt').trim()}`),
      bad.missing.join('\n'),
    );
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
