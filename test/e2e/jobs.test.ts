/**
 * End to end, remote jobs: a job launched from the extension (Launch Remote Job… in the palette)
 * against the test sshd shows in the Jobs view with its log mirrored into the workspace; after a
 * window reload it is still shown running and its log keeps growing, each line once.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Sshd, startSshd } from '../support/sshd';
import { missingPrerequisite, type Session, startSession, waitFor } from './support/session';

const skip = missingPrerequisite();

describe('remote jobs', { skip, timeout: 15 * 60_000 }, () => {
  let s: Session;
  let sshd: Sshd;
  let id = '';
  const mirror = () => join(s.workspace, '.rarft', 'jobs', id, 'stdout.log');
  const lines = () => (existsSync(mirror()) ? readFileSync(mirror(), 'utf8').split('\n').filter(Boolean) : []);
  /** Each line `tick N` exactly once, in order from 1. */
  const inOrder = (ls: string[]) => ls.every((l, i) => l === `tick ${i + 1}`);

  before(async () => {
    sshd = await startSshd();
    s = await startSession('jobs');
    const settings = join(s.workspace, '.vscode', 'settings.json');
    mkdirSync(join(s.workspace, '.vscode'), { recursive: true });
    const old = existsSync(settings) ? JSON.parse(readFileSync(settings, 'utf8')) : {};
    writeFileSync(
      settings,
      JSON.stringify(
        { ...old, 'rarft.remote.sshConfig': sshd.configFile, 'rarft.remote.remoteRoot': sshd.remoteRoot },
        null,
        2,
      ),
    );
  });
  after(async () => {
    await s?.close();
    await sshd?.stop();
  });

  const step = async (expect: RegExp, value: string) => {
    const widget = s.page.locator('.quick-input-widget');
    await waitFor(`the prompt ${expect}`, async () => expect.test(await widget.innerText().catch(() => '')), 30_000);
    await s.workbench.quickInput.fill(value);
    await s.page.keyboard.press('Enter');
  };

  const jobRow = () => s.page.locator('.monaco-list-row', { hasText: `command ${id}` });

  test('Launch Remote Job… runs a command on the host; the Jobs view shows it running', async () => {
    await s.workbench.runCommand('RA-RFT: Launch Remote Job…');
    await step(/Launch Remote Job: host/, 'rarft-test');
    await step(/what/, 'Command');
    await step(/Run with/, 'Detached over ssh');
    await step(/Remote working folder/, '/tmp');
    await step(/Command line/, 'for i in $(seq 1 2000); do echo "tick $i"; sleep 0.2; done');
    const jobsFile = join(s.workspace, '.rarft', 'jobs.json');
    id = await waitFor(
      'the job record',
      () => existsSync(jobsFile) && JSON.parse(readFileSync(jobsFile, 'utf8')).jobs[0]?.id,
      60_000,
    );
    await waitFor('the mirrored log to grow', () => lines().length >= 3, 60_000);
    await s.workbench.openActivity('RA-RFT');
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
});
