/**
 * The sample workspace that `npm start` opens and the end-to-end tests use: its run joins to its
 * annotations, its shards add up to the merge, its videos are what the data names, as long as the
 * annotations say, in the codecs the tests need, and core finds no problem in what it adds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  DATA_VIDEO_ROOT,
  FIXTURE_VIDEOS,
  MARKUP_QUERY,
  RUN_NAME,
  makeSampleWorkspace,
} from '../../../scripts/makeSampleWorkspace.mjs';
import { indexPaths } from '../../../src/core/dataset/indexFiles';

const hasFfmpeg = spawnSync('ffprobe', ['-version']).status === 0 && spawnSync('ffmpeg', ['-version']).status === 0;

interface Item {
  video: string;
  query: string;
}

describe('sample workspace', {
  skip: hasFfmpeg ? false : 'ffmpeg/ffprobe not installed (node scripts/setup.mjs)',
}, () => {
  let tmp: string;
  let ws: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'rarft-sample-ws-'));
    ws = makeSampleWorkspace(join(tmp, 'ws'), { force: true, log: () => {} });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const json = <T>(...p: string[]) => JSON.parse(readFileSync(join(ws, ...p), 'utf8')) as T;

  test('the GPU shards, in order, are the merged run', () => {
    const dir = join('runs', RUN_NAME);
    const shards = readdirSync(join(ws, dir))
      .filter((n) => /^inference_results_gpu\d+\.json$/.test(n))
      .sort();
    assert.ok(shards.length >= 2);
    assert.deepEqual(
      shards.flatMap((n) => json<Item[]>(dir, n)),
      json<Item[]>(dir, 'inference_results_merged.json'),
    );
  });

  test('every run item joins to an annotation query by (video, query)', () => {
    const keys = new Set<string>();
    for (const f of ['hi_vtg_charades.json', 'hi_vtg_markup.json']) {
      for (const e of json<{ video: string; GRPO: { q: string }[] }[]>('data', f))
        for (const g of e.GRPO) keys.add(`${e.video}\n${g.q}`);
    }
    const run = json<Item[]>('runs', RUN_NAME, 'inference_results_merged.json');
    assert.ok(run.length >= 200);
    assert.deepEqual(
      run.filter((i) => !keys.has(`${i.video}\n${i.query}`)),
      [],
    );
    assert.ok(run.some((i) => i.query === MARKUP_QUERY));
  });

  test('each fixture video is in the run, in its codec, 320x240 at 25 fps, as long as the annotations say', () => {
    const run = json<Item[]>('runs', RUN_NAME, 'inference_results_merged.json');
    const anno = json<{ video: string; duration: number | null }[]>('data', 'hi_vtg_charades.json');
    for (const [name, codec] of Object.entries(FIXTURE_VIDEOS)) {
      const video = `${DATA_VIDEO_ROOT}/${name}`;
      assert.ok(
        run.some((i) => i.video === video),
        `${name} is in the run`,
      );
      const r = spawnSync(
        'ffprobe',
        [
          '-v',
          'error',
          '-show_entries',
          'stream=codec_name,width,height,r_frame_rate,pix_fmt:format=duration',
          '-of',
          'json',
          join(ws, 'videos', name),
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const probe = JSON.parse(r.stdout) as {
        streams: Record<string, string | number>[];
        format: { duration: string };
      };
      assert.equal(probe.streams.length, 1, 'video only, no audio');
      assert.deepEqual(probe.streams[0], {
        codec_name: codec,
        width: 320,
        height: 240,
        pix_fmt: 'yuv420p',
        r_frame_rate: '25/1',
      });
      const longest = Math.max(...anno.filter((e) => e.video === video).map((e) => e.duration ?? 0));
      assert.ok(
        Math.abs(Number(probe.format.duration) - longest) < 0.1,
        `${name}: ${probe.format.duration} s, annotations ${longest} s`,
      );
    }
  });

  test("the settings map the data's video folder to videos/", () => {
    assert.deepEqual(json('.vscode', 'settings.json'), {
      'rarft.videoRoots': { [DATA_VIDEO_ROOT]: 'videos' },
      'git.openRepositoryInParentFolders': 'never',
    });
  });

  test('core indexes the workspace; what the script adds has no problems of its own', async () => {
    const index = await indexPaths([ws], { relativeTo: ws });
    const kinds = Object.fromEntries(index.files.map((f) => [f.path.replace(/\\/g, '/'), f.kind]));
    assert.equal(kinds['data/hi_vtg_markup.json'], 'annotations');
    assert.equal(kinds[`runs/${RUN_NAME}/inference_results_merged.json`], 'inference');
    assert.ok(index.problems.length > 100, 'the real files keep their real problems');
    const own = index.problems.filter((p) => !/hi_vtg_charades|human_anno/.test(p.file));
    assert.deepEqual(own, []);
  });
});
