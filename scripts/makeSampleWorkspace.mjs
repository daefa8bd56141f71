// Builds a sample workspace for trying the extension and for the end-to-end tests:
//   <ws>/data/        the two real annotation files and their licence (samples/data), and a small
//                     annotation file whose query holds markup (it must show as text)
//   <ws>/runs/<run>/  the simulated inference run of samples/runs (300 items cut from the reference
//                     fixture) plus one markup item, as the reference script leaves them (shards + merged)
//   <ws>/videos/      fixture videos made with ffmpeg for a few of the run's videos, named as in
//                     the data, with a burned-in timecode: H.264 ones that play in a webview and
//                     one HEVC that needs transcoding
//   <ws>/.vscode/settings.json  maps the data's video folder to videos/ (rarft.videoRoots); no git prompt
// Usage: node scripts/makeSampleWorkspace.mjs [DIR] [--force] [--quiet]   (DIR: .e2e/sample-workspace)
// Prints DIR. Leaves an existing workspace alone unless it was made by another version of this script.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Bump when the workspace's content changes, so old ones are rebuilt. */
const LAYOUT_VERSION = 5;
export const RUN_NAME = 'qwen2.5-vl-7b-rarft';
/** The prefix of video paths in hi_vtg_charades.json, mapped to <ws>/videos. */
export const DATA_VIDEO_ROOT = '/data/sungjoon/Charades_v1';
const GPUS = 2;
/** Fixture videos: name in the data → codec. Durations come from the annotations. */
export const FIXTURE_VIDEOS = {
  'E6DLK.mp4': 'h264',
  'IV1S7.mp4': 'hevc',
  'VXZBA.mp4': 'h264',
  'AHBE8.mp4': 'hevc',
};
/** A query with markup in it: the inspector and the tree must show these characters as text. */
export const MARKUP_QUERY = 'a person opens the <img src=x onerror=alert(1)> door.';
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const writeJson = (p, v) => {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify(v, null, 2) + '\n');
};

/** One video entry whose query text carries markup, for the "dataset text is text" check. */
function markupAnnotation(duration) {
  return [
    {
      video: `${DATA_VIDEO_ROOT}/VXZBA.mp4`,
      query_text: MARKUP_QUERY,
      timestamp: [2.0, 6.5],
      difficulty: null,
      video_start: null,
      video_end: null,
      think: '<think>\n<timestep>2.0 to 6.5</timestep> a person opens a door.\n</think>',
      duration,
      GRPO: [
        { q: MARKUP_QUERY, a: '<answer>2.0 to 6.5</answer>', r: true, q_origin: MARKUP_QUERY, difficulty: 'original' },
        {
          q: 'a person closes the <b>window</b> & leaves.',
          a: '<answer>The person opens a door; no window is closed in the video.</answer>',
          r: false,
          c: ['Object/ObjectExistence'],
          q_origin: MARKUP_QUERY,
          difficulty: 'easy',
        },
      ],
    },
  ];
}

function markupRunItem() {
  return {
    video: `${DATA_VIDEO_ROOT}/VXZBA.mp4`,
    query: MARKUP_QUERY,
    model_output:
      '<think>\n<timestep>1.5 to 6.0</timestep> a person walks to the <door> and opens it.\n</think>\n<answer>1.8 to 6.9</answer> <correction>NIL</correction>',
    gt_relevant: true,
    gt_timestamp: [2.0, 6.5],
    gt_output: '<answer>2.0 to 6.5</answer>',
    irrelevance_level: '',
    gt_categories: [],
    difficulty: 'original',
    hardness_level: 'original',
  };
}

/** Makes one fixture video with ffmpeg: a test pattern with the name and a running timecode. */
function makeVideo(out, name, codec, duration) {
  const label = name.replace(/\.mp4$/, '');
  const filters = ['format=yuv420p'];
  if (existsSync(FONT)) {
    // %{pts:hms} is the frame's presentation time; the colons are escaped for the filter parser.
    filters.unshift(
      `drawtext=fontfile=${FONT}:text='${label} %{pts\\:hms}':x=8:y=8:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=4`,
      `drawtext=fontfile=${FONT}:text='${codec} f%{frame_num}':x=8:y=h-34:fontsize=18:fontcolor=yellow:box=1:boxcolor=black@0.7:boxborderw=4`,
    );
  }
  const codecArgs =
    codec === 'hevc'
      ? ['-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1', '-x265-params', 'log-level=error']
      : ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main'];
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=320x240:rate=25:duration=${duration}`,
    '-vf',
    filters.join(','),
    ...codecArgs,
    '-pix_fmt',
    'yuv420p',
    '-g',
    '25',
    '-crf',
    '32',
    '-movflags',
    '+faststart',
    '-an',
    out,
  ];
  const r = spawnSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`ffmpeg failed for ${name}: ${r.error?.message ?? r.stderr}`);
}

/** Builds the workspace in `dir` (removed first when `force`); returns its absolute path. */
export function makeSampleWorkspace(
  dir = join(root, '.e2e/sample-workspace'),
  { force = false, log = console.error } = {},
) {
  const ws = resolve(dir);
  const stamp = join(ws, '.vscode/.rarft-sample-workspace');
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === String(LAYOUT_VERSION)) return ws;
  rmSync(ws, { recursive: true, force: true });
  const t0 = Date.now();

  const data = join(root, 'samples/data');
  mkdirSync(join(ws, 'data'), { recursive: true });
  for (const f of ['hi_vtg_charades.json', 'human_anno.json', 'LICENSE.RA-RFT'])
    copyFileSync(join(data, f), join(ws, 'data', f));

  // Durations per video: the longest any entry gives, so every entry's span fits in the file.
  const durations = new Map();
  for (const e of readJson(join(data, 'hi_vtg_charades.json'))) {
    if (typeof e?.duration === 'number') durations.set(e.video, Math.max(durations.get(e.video) ?? 0, e.duration));
  }
  const durationOf = (name) => durations.get(`${DATA_VIDEO_ROOT}/${name}`) ?? 30;
  writeJson(join(ws, 'data/hi_vtg_markup.json'), markupAnnotation(durationOf('VXZBA.mp4')));

  // The simulated run: contiguous shards, as `--curr_idx/--total_idx` splits the data, and their merge.
  // The sample run the extension ships (samples/runs): 300 items cut from the reference run, whole videos.
  const items = readJson(join(root, 'samples/runs', RUN_NAME, 'inference_results_merged.json'));
  items.push(markupRunItem());
  const runDir = join(ws, 'runs', RUN_NAME);
  const per = Math.ceil(items.length / GPUS);
  for (let g = 0; g < GPUS; g++)
    writeJson(join(runDir, `inference_results_gpu${g}.json`), items.slice(g * per, (g + 1) * per));
  writeJson(join(runDir, 'inference_results_merged.json'), items);

  mkdirSync(join(ws, 'videos'), { recursive: true });
  for (const [name, codec] of Object.entries(FIXTURE_VIDEOS))
    makeVideo(join(ws, 'videos', name), name, codec, durationOf(name));

  writeJson(join(ws, '.vscode/settings.json'), {
    'rarft.videoRoots': { [DATA_VIDEO_ROOT]: 'videos' },
    // The workspace lives inside this repository: without this VS Code asks about the parent's git repository.
    'git.openRepositoryInParentFolders': 'never',
  });
  writeFileSync(
    join(ws, 'README.md'),
    [
      '# RA-RFT sample workspace',
      '',
      'Made by `scripts/makeSampleWorkspace.mjs`; rebuilt when that script changes. `data/` holds the two',
      'annotation files released with RA-RFT (Apache-2.0, see `data/LICENSE.RA-RFT`) and a one-entry file',
      "whose query holds markup; `runs/` a simulated inference run cut from the project's reference",
      'fixture; `videos/` synthetic test-pattern videos (burned-in timecode) standing in for a few',
      'Charades videos, one of them HEVC so the transcoding path shows. `.vscode/settings.json` maps',
      `the data's \`${DATA_VIDEO_ROOT}\` to \`videos/\`.`,
      '',
    ].join('\n'),
  );
  writeFileSync(stamp, `${LAYOUT_VERSION}\n`);
  log(
    `sample workspace: ${items.length} run items, ${Object.keys(FIXTURE_VIDEOS).length} videos in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return ws;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  const quiet = args.includes('--quiet');
  try {
    console.log(makeSampleWorkspace(dir, { force: args.includes('--force'), log: quiet ? () => {} : console.error }));
  } catch (e) {
    console.error(String(e?.message ?? e));
    process.exit(1);
  }
}
