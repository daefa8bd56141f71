/**
 * End to end, remote jobs: a job launched from the extension (Launch Remote Job… in the palette)
 * against the test sshd shows in the Jobs view with its log mirrored into the workspace; after a
 * window reload it is still shown running and its log keeps growing, each line once. A job that
 * exits non-zero is marked on its row and notified with Show Log. An inference job launched
 * through the form runs the stand-in checkout; fetching it lists the merged run in the Runs view
 * and offers Evaluate Run, which evaluates it. Training on Slurm (a one-node cluster started by the
 * test) through the form: the partition picked from the cluster's list, the Slurm fields asked,
 * one changed in the review list, reach the generated sbatch script, and the two srun tasks run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cut } from '../support/fixtures';
import { fakeCheckout, tempDir } from '../support/remote';
import { type Slurm, startSlurm } from '../support/slurm';
import { type Sshd, startSshd } from '../support/sshd';
import { missingPrerequisite, type Session, startSession, waitFor } from './support/session';

const skip = missingPrerequisite();

describe('remote jobs', { skip, timeout: 15 * 60_000 }, () => {
  let s: Session;
  let sshd: Sshd;
  let cluster: Slurm;
  let id = '';
  let checkout = '';
  const mirror = () => join(s.workspace, '.rarft', 'jobs', id, 'stdout.log');
  const lines = () => (existsSync(mirror()) ? readFileSync(mirror(), 'utf8').split('\n').filter(Boolean) : []);
  /** Each line `tick N` exactly once, in order from 1. */
  const inOrder = (ls: string[]) => ls.every((l, i) => l === `tick ${i + 1}`);

  before(async () => {
    cluster = await startSlurm();
    sshd = await startSshd({ setEnv: cluster.env });
    s = await startSession('jobs');
    checkout = fakeCheckout();
    // rarft.remote.sshConfig is machine-scoped (a workspace must not point ssh at a config): in
    // code-server such settings come from the Machine settings of the user data folder.
    for (const where of ['Machine', 'User']) {
      const settings = join(s.userDataDir, where, 'settings.json');
      mkdirSync(join(s.userDataDir, where), { recursive: true });
      const old = existsSync(settings) ? JSON.parse(readFileSync(settings, 'utf8')) : {};
      const ours = {
        'rarft.remote.sshConfig': sshd.configFile,
        'rarft.remote.remoteRoot': sshd.remoteRoot,
        'rarft.remote.checkout': checkout,
        'rarft.remote.python': 'python3',
      };
      writeFileSync(settings, JSON.stringify({ ...old, ...ours }, null, 2));
    }
  });
  after(async () => {
    await s?.close();
    await sshd?.stop();
    await cluster?.stop();
  });

  /** Answers one prompt: waits for it, types `value`, and for a pick waits for its row before Enter. */
  const step = async (expect: RegExp, value: string, pick = false) => {
    const widget = s.page.locator('.quick-input-widget');
    try {
      await waitFor(`the prompt ${expect}`, async () => expect.test(await widget.innerText().catch(() => '')), 60_000);
      await s.workbench.quickInput.fill(value);
      if (pick) await widget.locator('.monaco-list-row', { hasText: value }).first().waitFor({ timeout: 60_000 });
      await s.page.keyboard.press('Enter');
    } catch (e) {
      await s.screenshot(`prompt-${expect.source.replace(/\W+/g, '-')}`);
      throw e;
    }
  };

  const jobRow = () => s.page.locator('.pane-body .monaco-list-row', { hasText: `command ${id}` }).first();

  test('Launch Remote Job… runs a command on the host; the Jobs view shows it running', async () => {
    // The Jobs view's own button (its welcome content while there are no jobs).
    await s.workbench.openActivity('RA-RFT');
    // The Jobs view starts collapsed (Datasets and Runs keep the room).
    const view = await s.workbench.expandView('Jobs');
    const button = view.locator('a, .monaco-button', { hasText: 'Launch Remote Job' });
    await button.first().waitFor({ timeout: 60_000 });
    await button.first().click();
    await step(/Launch Remote Job: host/, 'rarft-test', true);
    await step(/what/, 'Command', true);
    await step(/Run with/, 'Detached over ssh', true);
    await step(/Remote working folder/, '/tmp');
    await step(/Command line/, 'for i in $(seq 1 2000); do echo "tick $i"; sleep 0.2; done');
    const jobsFile = join(s.workspace, '.rarft', 'jobs.json');
    id = await waitFor(
      'the job record',
      () => existsSync(jobsFile) && JSON.parse(readFileSync(jobsFile, 'utf8')).jobs[0]?.id,
      60_000,
    );
    await waitFor('the mirrored log to grow', () => lines().length >= 3, 60_000);
    await jobRow().waitFor({ timeout: 60_000 });
    await waitFor('the row to say running', async () => /running/.test(await jobRow().innerText()), 60_000);
    await s.screenshot('job-running');
  });

  test('after a window reload the job is still shown running and its log goes on growing, each line once', async () => {
    const loaded = s.page.waitForEvent('load', { timeout: 120_000 });
    await s.workbench.runCommand('Developer: Reload Window');
    await loaded;
    await s.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const atReload = lines().length;
    await s.workbench.openActivity('RA-RFT');
    await jobRow().waitFor({ timeout: 60_000 });
    await waitFor('the row to say running', async () => /running/.test(await jobRow().innerText()), 60_000);
    await waitFor('the log to grow after the reload', () => lines().length >= atReload + 10, 90_000);
    const ls = lines();
    assert.ok(inOrder(ls), `lines out of order or repeated: ${ls.slice(0, 5).join(' | ')} …`);
    await s.screenshot('job-after-reload');
  });

  const jobsFile = () => join(s.workspace, '.rarft', 'jobs.json');
  /** The id of the job whose command line matches `re`, once it is recorded. */
  const jobWith = (re: RegExp) =>
    waitFor(
      `the job record of ${re}`,
      () =>
        existsSync(jobsFile()) &&
        (JSON.parse(readFileSync(jobsFile(), 'utf8')).jobs as { id: string; argv: string[] }[]).find((j) =>
          re.test(j.argv.join(' ')),
        )?.id,
      60_000,
    );
  /** The notification toast whose message matches `re`. */
  const toast = (re: RegExp) => s.page.locator('.notifications-toasts .notification-toast', { hasText: re }).first();
  /** Waits for a toast and clicks its button `label`. */
  const clickToast = async (re: RegExp, label: string) => {
    const t = toast(re);
    try {
      await t.waitFor({ timeout: 120_000 });
      // A pressed button closes its toast. A toast appearing beside it can move the button between the
      // click's aim and the press (seen once in 8 runs: Fetch Results stayed up, focused, unpressed):
      // while the toast is still up after 5 s, press again (twice at most).
      for (let k = 0; k < 3; k++) {
        await t.locator('.monaco-button', { hasText: label }).first().click();
        const gone = await t
          .waitFor({ state: 'hidden', timeout: 5_000 })
          .then(() => true)
          .catch(() => false);
        if (gone) break;
      }
    } catch (e) {
      await s.screenshot(`toast-${label.replace(/\W+/g, '-')}`);
      throw e;
    }
  };

  test('a job that exits non-zero: its row is marked and a notification says so, with Show Log', async () => {
    await s.workbench.runCommand('RA-RFT: Launch Remote Job…');
    await step(/Launch Remote Job: host/, 'rarft-test', true);
    await step(/what/, 'Command', true);
    await step(/Run with/, 'Detached over ssh', true);
    await step(/Remote working folder/, '/tmp');
    await step(/Command line/, 'echo started; echo boom >&2; exit 3');
    const failed = await jobWith(/exit 3/);
    await clickToast(new RegExp(`Job ${failed} exited with code 3`), 'Show Log');
    const panel = s.page.locator('.part.panel');
    await waitFor(
      'the job log in the panel',
      async () => /started/.test(await panel.innerText().catch(() => '')),
      60_000,
    );
    const row = s.page.locator('.pane-body .monaco-list-row', { hasText: `command ${failed}` }).first();
    await waitFor('the row marked failed', async () => /✗ exited 3/.test(await row.innerText()), 60_000);
    await s.screenshot('job-failed');
  });

  test('inference from the form: fetching lists the merged run in Runs and offers Evaluate Run', async () => {
    const videos = cut('hi_vtg_charades.json', 3);
    const queries = videos.reduce((n, v) => n + v.GRPO.length, 0);
    const data = join(tempDir('e2e infer data'), 'test data.json');
    writeFileSync(data, JSON.stringify(videos));
    await s.workbench.runCommand('RA-RFT: Launch Remote Job…');
    await step(/Launch Remote Job: host/, 'rarft-test', true);
    await step(/what/, 'Inference', true);
    await step(/Run with/, 'Detached over ssh', true);
    await step(/Model \(path or hub id\)/, './ckpts/m');
    await step(/Test data/, data);
    await step(/Output folder/, 'inference_output');
    await step(/GPUs \(indices/, '0,1');
    await step(/with the values below/, 'Launch', true);
    const infer = await jobWith(/inference\.py/);
    await clickToast(new RegExp(`Job ${infer} exited with code 0`), 'Fetch Results');
    const merged = `runs/${infer}/inference_results_merged.json`;
    const offer = new RegExp(`${queries} results from 2 shard\\(s\\) in ${merged}, listed in Runs`);
    // Clicked at once: an information toast hides itself after a while.
    await clickToast(offer, 'Evaluate Run');
    await toast(new RegExp(`evaluated ${queries} items`)).waitFor({ timeout: 120_000 });
    const runs = await s.workbench.expandView('Runs');
    await runs.locator('.monaco-list-row', { hasText: merged }).first().waitFor({ timeout: 60_000 });
    await s.screenshot('job-fetched');
    assert.ok(existsSync(join(s.workspace, 'runs', infer, 'metrics.json')));
  });

  test('training on Slurm through the form: time limit and tasks per node reach the sbatch script', async () => {
    const out = join(tempDir('e2e slurm train'), 'run');
    await s.workbench.runCommand('RA-RFT: Launch Remote Job…');
    await step(/Launch Remote Job: host/, 'rarft-test', true);
    await step(/what/, 'Training', true);
    await step(/Run with/, 'Slurm (sbatch)', true);
    await step(/Model \(path or hub id\)/, 'm');
    await step(/Training data/, 'd.json');
    await step(/Output folder/, out);
    await step(/GPUs \(processes per node\)/, '2');
    // The partitions come from the cluster's sinfo: the test cluster has one, debug, its default.
    await step(/debug \(no --partition\)/, 'Cluster default', true);
    await step(/Slurm account/, '');
    await step(/Slurm time limit/, '10');
    await step(/GPUs per node/, '0');
    // The review list: change one more field, then launch.
    await step(/with the values below/, 'Tasks per node', true);
    await step(/Tasks per node \(default/, '2');
    await step(/with the values below/, 'Launch', true);
    const train = await jobWith(/main_rarft\.py/);
    await clickToast(new RegExp(`Job ${train} exited with code 0`), 'Show Log');
    const rec = JSON.parse(readFileSync(jobsFile(), 'utf8')).jobs.find((j: { id: string }) => j.id === train);
    assert.equal(rec.engine, 'slurm');
    const sbatch = readFileSync(join(rec.remoteDir, 'job.sbatch'), 'utf8');
    assert.match(sbatch, /^#SBATCH --time=10$/m);
    assert.match(sbatch, /^#SBATCH --ntasks-per-node=2$/m);
    assert.doesNotMatch(sbatch, /--partition|--account/);
    const log = () => readFileSync(join(s.workspace, '.rarft', 'jobs', train, 'stdout.log'), 'utf8');
    await waitFor('both srun tasks in the log', () => /rank 0 of 2/.test(log()) && /rank 1 of 2/.test(log()), 60_000);
  });
});
