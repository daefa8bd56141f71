/** The record block both engines share: a new record, and a status moving it to its next state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyStatus, isFinal, newJobRecord } from '../../../src/core/remote/jobRecord';

const now = new Date('2026-12-01T22:31:00.000Z');
const spec = { host: 'h', cwd: '/w', argv: ['a', 'b c'], outputDir: 'out', shards: 2, sshConfig: '/cfg' };

test('a new record: ssh jobs start as starting, Slurm jobs as pending; optional fields only when given', () => {
  const s = newJobRecord(spec, 'ssh', now);
  assert.match(s.id, /^20261201-223100-[0-9a-f]{4}$/);
  assert.deepEqual(
    { ...s, id: '' },
    {
      id: '',
      host: 'h',
      sshConfig: '/cfg',
      kind: 'command',
      engine: 'ssh',
      cwd: '/w',
      argv: ['a', 'b c'],
      remoteDir: '',
      outputDir: 'out',
      shards: 2,
      createdAt: '2026-12-01T22:31:00.000Z',
      state: 'starting',
      exitCode: null,
    },
  );
  const q = newJobRecord({ host: 'h', cwd: '.', argv: ['x'], kind: 'infer' }, 'slurm', now);
  assert.equal(q.state, 'pending');
  assert.equal(q.kind, 'infer');
  assert.ok(!('outputDir' in q) && !('shards' in q) && !('sshConfig' in q));
});

test('a status answer sets state, code and detail; endedAt once, when the job becomes final', () => {
  const r = { ...newJobRecord(spec, 'ssh', now), state: 'running' as const, detail: 'old' };
  const pending = applyStatus(r, { id: r.id, state: 'running', exitCode: null });
  assert.equal(pending.detail, undefined);
  assert.equal(pending.endedAt, undefined);
  const t = new Date('2026-12-01T23:00:00.000Z');
  const done = applyStatus(pending, { id: r.id, state: 'exited', exitCode: 3 }, t);
  assert.equal(isFinal(done), true);
  assert.deepEqual([done.exitCode, done.endedAt], [3, t.toISOString()]);
  const again = applyStatus(done, { id: r.id, state: 'exited', exitCode: 3, detail: 'd' }, new Date());
  assert.deepEqual([again.endedAt, again.detail], [t.toISOString(), 'd']);
  assert.equal(isFinal({ state: 'pending' }), false);
});
