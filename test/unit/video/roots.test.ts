import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findVideo, mappingFor, recordedFolder, videoCandidates } from '../../../src/core/video/roots';

test('the longest recorded prefix wins; relative folders resolve against the workspace', () => {
  const roots = { '/data': '/mnt/all', '/data/sungjoon/Charades_v1/': 'videos' };
  const c = videoCandidates('/data/sungjoon/Charades_v1/E6DLK.mp4', roots, '/ws');
  assert.equal(c[0], '/ws/videos/E6DLK.mp4');
  assert.equal(c[1], '/mnt/all/sungjoon/Charades_v1/E6DLK.mp4');
  assert.ok(c.includes('/mnt/all/E6DLK.mp4'), 'bare file name in a root folder');
  assert.equal(c[c.length - 1], '/data/sungjoon/Charades_v1/E6DLK.mp4');
  // A prefix only matches at a path boundary.
  assert.ok(!videoCandidates('/database/x.mp4', { '/data': '/mnt' }, undefined).includes('/mnt/base/x.mp4'));
  assert.deepEqual(videoCandidates('dataset/videos/a.mp4', {}, '/ws'), ['/ws/dataset/videos/a.mp4']);
});

test('findVideo returns the first candidate that exists on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rarft-roots-'));
  try {
    mkdirSync(join(dir, 'videos'));
    writeFileSync(join(dir, 'videos', 'E6DLK.mp4'), 'x');
    assert.equal(
      findVideo('/data/sungjoon/Charades_v1/E6DLK.mp4', { '/data/sungjoon/Charades_v1': 'videos' }, dir),
      join(dir, 'videos', 'E6DLK.mp4'),
    );
    assert.equal(
      findVideo('/data/sungjoon/Charades_v1/NOPE.mp4', { '/data/sungjoon/Charades_v1': 'videos' }, dir),
      null,
    );
    assert.equal(findVideo('/data/sungjoon/Charades_v1/E6DLK.mp4', {}, dir), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(recordedFolder('/data/sungjoon/Charades_v1/E6DLK.mp4'), '/data/sungjoon/Charades_v1');
  assert.equal(recordedFolder('E6DLK.mp4'), '.');
});

test('mappingFor names the mapping that covers a recorded path (longest prefix), or null', () => {
  const roots = { '/data': '/mnt/all', '/data/sungjoon/Charades_v1/': 'videos' };
  assert.deepEqual(mappingFor('/data/sungjoon/Charades_v1/4VX01.mp4', roots, '/ws'), {
    prefix: '/data/sungjoon/Charades_v1',
    folder: '/ws/videos',
  });
  assert.deepEqual(mappingFor('/data/other/x.mp4', roots, '/ws'), { prefix: '/data', folder: '/mnt/all' });
  assert.equal(mappingFor('/database/x.mp4', { '/data': '/mnt' }, undefined), null, 'only at a path boundary');
  assert.equal(mappingFor('../dataset/a.mkv', roots, '/ws'), null);
});
