/**
 * One end-to-end session: a fresh sample workspace, the packaged extension installed into a fresh
 * code-server profile, code-server on a free 127.0.0.1 port, and Debian Chromium driven by
 * playwright-core. Screenshots and code-server's output go to test-results/e2e/.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  hasCodeServer,
  installExtension,
  packageVsix,
  root,
  startCodeServer,
  type CodeServer,
} from '../../../scripts/codeServer.mjs';
import { makeSampleWorkspace } from '../../../scripts/makeSampleWorkspace.mjs';
import { Workbench } from '../pages/workbench';
import { waitFor } from './wait';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = join(root, 'test-results/e2e');

/** Flags verified on this project's machines (MACHINE-NOTES): headless Debian Chromium as root. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Let the inspector's <video> play without a user gesture.
  '--autoplay-policy=no-user-gesture-required',
];

/** Why the end-to-end suite cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (!hasCodeServer()) return 'code-server is not installed (run node scripts/setup.mjs as root)';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium; setup.mjs does it as root)`;
  if (!existsSync(join(root, 'dist/extension.js'))) return 'dist/extension.js is missing (npm run build)';
  return undefined;
}

export interface Session {
  name: string;
  workspace: string;
  /** code-server's user data folder (User/settings.json, logs/). */
  userDataDir: string;
  codeServer: CodeServer;
  browser: Browser;
  page: Page;
  workbench: Workbench;
  /** Milliseconds from starting code-server to the workbench being up. */
  startupMs: number;
  /** Saves a full-page screenshot as test-results/e2e/<session>-<label>.png. */
  screenshot(label: string): Promise<string>;
  close(): Promise<void>;
}

/** Chromium on the workbench at `url`, its console collected; closed again when the workbench does not come up. */
async function openBrowser(
  url: string,
  consoleLines: string[],
  phase: (what: string) => void,
): Promise<{ browser: Browser; page: Page; workbench: Workbench }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    phase('chromium');
    const workbench = new Workbench(page);
    await workbench.open(url);
    phase('workbench');
    return { browser, page, workbench };
  } catch (e) {
    await browser.close().catch(() => {});
    throw e;
  }
}

/** Starts everything; `name` labels the artifacts. */
export async function startSession(name: string): Promise<Session> {
  mkdirSync(RESULTS, { recursive: true });
  const phases: string[] = [];
  let mark = Date.now();
  const phase = (what: string) => {
    phases.push(`${what} ${Date.now() - mark} ms`);
    mark = Date.now();
  };
  const tmp = mkdtempSync(join(tmpdir(), `rarft-e2e-${name}-`));
  const workspace = makeSampleWorkspace(join(tmp, 'sample-workspace'), { force: true, log: () => {} });
  phase('sample workspace');
  const vsix = packageVsix();
  phase('package');
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  installExtension({ vsix, userDataDir, extensionsDir });
  phase('install');

  const logFile = join(RESULTS, `${name}-code-server.log`);
  let output = '';
  const t0 = Date.now();
  const codeServer = await startCodeServer({
    folder: workspace,
    userDataDir,
    extensionsDir,
    onOutput: (s) => (output += s),
  });
  phase('code-server up');
  const consoleLines: string[] = [];
  let opened: Awaited<ReturnType<typeof openBrowser>>;
  try {
    opened = await openBrowser(codeServer.folderUrl, consoleLines, phase);
  } catch (e) {
    // Leave nothing running: a live code-server child would keep the test process alive.
    await codeServer.stop();
    writeFileSync(logFile, output);
    throw e;
  }
  const { browser, page, workbench } = opened;
  const startupMs = Date.now() - t0;

  const screenshot = async (label: string) => {
    const file = join(RESULTS, `${name}-${label}.png`);
    await page.screenshot({ path: file }).catch(() => {});
    return file;
  };
  const close = async () => {
    mark = Date.now();
    await screenshot('final');
    writeFileSync(join(RESULTS, `${name}-browser-console.log`), consoleLines.join('\n') + '\n');
    await browser.close().catch(() => {});
    await codeServer.stop();
    writeFileSync(logFile, output);
    // VS Code's logs (the extension host's and the extension's own output channel) for debugging.
    cpSync(join(userDataDir, 'logs'), join(RESULTS, `${name}-logs`), { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    phase('close');
    console.log(`# ${name} session: ${phases.join(', ')}`);
  };
  return { name, workspace, userDataDir, codeServer, browser, page, workbench, startupMs, screenshot, close };
}

export { waitFor } from './wait';

/** Every line the extension's "RA-RFT" log channel has written so far (all windows, all reloads). */
export function extensionLog(userDataDir: string): string[] {
  const lines: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (name === 'RA-RFT.log' && p.includes('rarft.rarft-workbench'))
        lines.push(...readFileSync(p, 'utf8').split('\n'));
    }
  };
  const logs = join(userDataDir, 'logs');
  if (existsSync(logs)) visit(logs);
  return lines;
}

/**
 * Waits until the extension's log has `count` lines matching `re` (the log is the host's record of
 * events with no other outward sign, e.g. settings it has re-read); returns the last one.
 */
export async function waitForLog(userDataDir: string, re: RegExp, what: string, count = 1): Promise<string> {
  return waitFor(
    `the RA-RFT log to say ${what}`,
    () => {
      const hits = extensionLog(userDataDir).filter((l) => re.test(l));
      return hits.length >= count ? hits[hits.length - 1] : undefined;
    },
    60_000,
    100,
  );
}
