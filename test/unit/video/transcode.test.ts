import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeArgs, parseProbe, playPlan, probeVideo, ToolMissingError } from '../../../src/core/video/probe';
import { cachedTranscode, ffmpegArgs, progressSeconds, transcodeCached } from '../../../src/core/video/transcode';

const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0 && spawnSync('ffprobe', ['-version']).status === 0;
const skip = hasFfmpeg ? false : 'ffmpeg/ffprobe not installed (setup.mjs installs them as root)';

function make(dir: string, name: string, args: string[]): string {
  const out = join(dir, name);
  const r = spawnSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=2:size=160x120:rate=10',
    '-f',
    'lavfi',
    '-i',
    'sine=duration=2',
    '-shortest',
    ...args,
    out,
  ]);
  assert.equal(r.status, 0, r.stderr?.toString());
  return out;
}

test('argument arrays never go through a shell; the file comes after --', () => {
  const evil = '/tmp/$(rm -rf ~); x.mp4';
  assert.deepEqual(ffprobeArgs(evil).slice(-2), ['--', evil]);
  const a = ffmpegArgs(evil, '/c/out.mp4', 'transcode');
  assert.equal(a[a.indexOf('-i') + 1], evil);
  assert.ok(a.includes('libx264') && a.includes('-an'));
  assert.ok(ffmpegArgs('in', 'out', 'remux').includes('copy'));
  assert.equal(progressSeconds('out_time_us=1500000'), 1.5);
  assert.equal(progressSeconds('progress=continue'), null);
});

test('probe and plan: H.264 plays, HEVC transcodes, H.264 in MKV or with AAC remuxes', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rarft-video-'));
  try {
    const h264 = make(dir, 'a.mp4', ['-an', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    const hevc = make(dir, 'b.mp4', [
      '-an',
      '-c:v',
      'libx265',
      '-pix_fmt',
      'yuv420p',
      '-x265-params',
      'log-level=error',
    ]);
    const mkv = make(dir, 'c.mkv', ['-an', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    const aac = make(dir, 'd.mp4', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac']);
    const p1 = await probeVideo('ffprobe', h264);
    assert.equal(p1.videoCodec, 'h264');
    assert.equal(p1.width, 160);
    assert.ok(p1.duration !== null && Math.abs(p1.duration - 2) < 0.2);
    assert.equal(playPlan(p1), 'direct');
    assert.equal(playPlan(await probeVideo('ffprobe', hevc)), 'transcode');
    assert.equal(playPlan(await probeVideo('ffprobe', mkv)), 'remux');
    const p4 = await probeVideo('ffprobe', aac);
    assert.equal(p4.audioCodec, 'aac');
    assert.equal(playPlan(p4), 'remux');
    await assert.rejects(probeVideo('ffprobe', join(dir, 'missing.mp4')), /ffprobe could not read/);
    await assert.rejects(probeVideo(join(dir, 'no-such-ffprobe'), h264), ToolMissingError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('HEVC is transcoded once to a playable H.264 MP4 in the cache, with progress', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rarft-video-'));
  try {
    const hevc = make(dir, 'b.mp4', [
      '-an',
      '-c:v',
      'libx265',
      '-pix_fmt',
      'yuv420p',
      '-x265-params',
      'log-level=error',
    ]);
    const cache = join(dir, 'cache');
    assert.equal(await cachedTranscode(hevc, cache, 'transcode'), null);
    const fractions: number[] = [];
    const out = await transcodeCached(hevc, {
      ffmpeg: 'ffmpeg',
      cacheDir: cache,
      plan: 'transcode',
      duration: 2,
      onProgress: (f) => fractions.push(f),
    });
    const info = await probeVideo('ffprobe', out);
    assert.equal(info.videoCodec, 'h264');
    assert.equal(info.audioCodec, null);
    assert.equal(playPlan(info), 'direct');
    assert.ok(fractions.length > 0 && fractions.every((f) => f >= 0 && f <= 1));
    assert.deepEqual(readdirSync(cache), [out.split('/').pop()], 'no part files left');
    // Second time: served from the cache without running ffmpeg at all.
    assert.equal(
      await transcodeCached(hevc, { ffmpeg: join(dir, 'no-such-ffmpeg'), cacheDir: cache, plan: 'transcode' }),
      out,
    );
    assert.equal(await cachedTranscode(hevc, cache, 'transcode'), out);
    // No ffmpeg and nothing cached: a ToolMissingError, and no part file.
    await assert.rejects(
      transcodeCached(hevc, { ffmpeg: join(dir, 'no-such-ffmpeg'), cacheDir: join(dir, 'c2'), plan: 'remux' }),
      ToolMissingError,
    );
    assert.deepEqual(readdirSync(join(dir, 'c2')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled transcode leaves no cache entry', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rarft-video-'));
  try {
    const hevc = make(dir, 'b.mp4', [
      '-an',
      '-c:v',
      'libx265',
      '-pix_fmt',
      'yuv420p',
      '-x265-params',
      'log-level=error',
    ]);
    const controller = new AbortController();
    const p = transcodeCached(hevc, {
      ffmpeg: 'ffmpeg',
      cacheDir: join(dir, 'cache'),
      plan: 'transcode',
      signal: controller.signal,
    });
    controller.abort();
    await assert.rejects(p);
    assert.deepEqual(readdirSync(join(dir, 'cache')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseProbe reads ffprobe JSON and rejects other text', () => {
  const info = parseProbe(
    JSON.stringify({
      format: { format_name: 'matroska,webm', duration: '3.5' },
      streams: [
        { codec_type: 'video', codec_name: 'vp9', width: 2, height: 2 },
        { codec_type: 'audio', codec_name: 'opus' },
      ],
    }),
  );
  assert.deepEqual(info, {
    format: 'matroska,webm',
    duration: 3.5,
    videoCodec: 'vp9',
    audioCodec: 'opus',
    width: 2,
    height: 2,
  });
  assert.equal(playPlan(info), 'transcode');
  assert.equal(playPlan({ ...info, videoCodec: 'vp8' }), 'direct');
  assert.throws(() => parseProbe('not json'));
});
