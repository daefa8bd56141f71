/** The jobs file's lock: a holder that is gone (a reloaded window) does not block the next update. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newJobRecord } from '../../../src/core/remote/jobRecord';
import { readJobs, saveJobs } from '../../../src/core/remote/jobStore';
import { tempDir } from '../../support/fixtures';

function workspaceWithLock(content: string): { ws: string; lock: string } {
  const ws = tempDir();
  mkdirSync(join(ws, '.rarft'), { recursive: true });
  const lock = join(ws, '.rarft', 'jobs.json.lock');
  writeFileSync(lock, content);
  return { ws, lock };
}

const record = () => newJobRecord({ host: 'h', cwd: '/w', argv: ['echo', 'hi'] }, 'ssh');

test('a lock left by a process of this machine that is gone is broken at once', async () => {
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const { ws, lock } = workspaceWithLock(`${hostname()} ${dead.stdout}\n`);
  const t0 = Date.now();
  const r = record();
  await saveJobs(ws, [r]);
  assert.ok(Date.now() - t0 < 5_000, 'not waited out');
  assert.deepEqual(
    (await readJobs(ws)).map((j) => j.id),
    [r.id],
  );
  assert.equal(existsSync(lock), false, 'our own lock removed after the update');
});

test('a lock held by a live process waits until it is released, and is never broken under it', async () => {
  const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    const { ws, lock } = workspaceWithLock(`${hostname()} ${live.pid}\n`);
    const t0 = Date.now();
    const saving = saveJobs(ws, [record()]);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(readFileSync(lock, 'utf8'), `${hostname()} ${live.pid}\n`, 'still the live holder');
    rmSync(lock); // the holder is done
    await saving;
    assert.ok(Date.now() - t0 >= 400);
    assert.equal((await readJobs(ws)).length, 1);
  } finally {
    live.kill();
  }
});

test('a lock from elsewhere (another machine, or empty) is broken once it is older than 30 s', async () => {
  for (const content of ['other-machine 1\n', '']) {
    const { ws, lock } = workspaceWithLock(content);
    const old = (Date.now() - 31_000) / 1000;
    utimesSync(lock, old, old);
    const t0 = Date.now();
    await saveJobs(ws, [record()]);
    assert.ok(Date.now() - t0 < 5_000);
    assert.equal((await readJobs(ws)).length, 1);
  }
});
