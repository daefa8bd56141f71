import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cannotPlay, videoStatus } from '../../../src/core/video/status';

test('each video code has its state; messages name what they are about', () => {
  assert.deepEqual(videoStatus('not-found', { recorded: '/data/x/A.mp4', folder: '/data/x' }), {
    code: 'not-found',
    state: 'missing',
    canMap: true,
    message: 'Video not found: /data/x/A.mp4. Map its folder /data/x to a local folder (setting rarft.videoRoots).',
  });
  const mapped = videoStatus('not-in-mapped-folder', {
    recorded: '/data/x/A.mp4',
    mapped: { prefix: '/data/x', folder: '/ws/videos' },
  });
  assert.equal(mapped.state, 'missing');
  assert.match(mapped.message, /is not in \/ws\/videos, the local folder \/data\/x is mapped to/);
  assert.equal(videoStatus('unprobed').state, 'loading');
  assert.equal(videoStatus('needs-ffmpeg').state, 'no-ffmpeg');
  assert.deepEqual(
    [videoStatus('converting', { file: '/v.mkv' }).progress, videoStatus('converting', { progress: 0.5 }).message],
    [0, 'Converting to H.264 MP4: 50%'],
  );
  assert.equal(videoStatus('converted', { plan: 'remux', file: '/v.mkv' }).message, 'Playing a remux of /v.mkv.');
});

test('a video the page cannot play: "no ffmpeg" only when ffprobe was missing, decided by code, not text', () => {
  assert.equal(cannotPlay('unprobed', 'DEMUXER_ERROR').code, 'cannot-play-no-ffmpeg');
  assert.equal(cannotPlay('unprobed', 'DEMUXER_ERROR').state, 'no-ffmpeg');
  const other = cannotPlay('direct', 'DEMUXER_ERROR');
  assert.deepEqual([other.code, other.state], ['cannot-play', 'error']);
  assert.match(other.message, /DEMUXER_ERROR/);
});
