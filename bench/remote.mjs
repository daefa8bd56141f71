// Remote-job benchmark against a real sshd on 127.0.0.1. Run: node --import tsx bench/remote.mjs
//  1. status of 20 jobs with the ControlMaster warm (in process, and the whole `rarft remote status`
//     process), beside the yardstick of one cold ssh login (a full handshake) measured here;
//  2. a new remote log line on screen: from the job writing it to the local mirror showing it
//     (what the editor's output channel and `logs --follow` read), over 20 lines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchJob } from '../src/core/remote/jobs.ts';
import { mirrorLog, mirrorPath } from '../src/core/remote/logs.ts';
import { refreshJobs } from '../src/core/remote/manage.ts';
import { startSshd } from '../test/support/sshd.ts';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const line = (what, v, target, ok) =>
  console.log(`${what.padEnd(58)} ${v.padStart(10)}   target ${target}  ${ok ? 'ok' : 'MISSED'}`);

const s = await startSshd();
process.env.RARFT_SSH_CONTROL_DIR = s.controlDir;
const ws = mkdtempSync(join(tmpdir(), 'rarft-bench-remote-'));
const ssh = { configFile: s.configFile, controlDir: s.controlDir };
try {
  // Yardstick: a cold login (no master): the handshake every command would pay without ours.
  const cold = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    spawnSync('ssh', ['-F', s.configFile, '-o', 'ControlPath=none', s.host, 'true']);
    cold.push(performance.now() - t);
  }
  const handshake = median(cold);

  const jobs = [];
  for (let i = 0; i < 20; i++) {
    jobs.push(await launchJob(ws, { host: s.host, cwd: '/', argv: ['sleep', '60'], remoteRoot: s.remoteRoot }, ssh));
  }
  await refreshJobs(ws, ssh); // warm
  // Yardsticks over the same warm master: one bare `ssh host true` round trip (the floor of any
  // remote call), a bare node start, and the CLI loading its bundle (`rarft --version`).
  const sshArgs = ['-F', s.configFile, '-o', `ControlPath=${join(s.controlDir, '%C')}`, '-o', 'ControlMaster=auto'];
  const timed = (cmd, args) => {
    const t = performance.now();
    const r = spawnSync(cmd, args);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    return performance.now() - t;
  };
  const bareSsh = median(Array.from({ length: 7 }, () => timed('ssh', [...sshArgs, s.host, 'true'])));
  const bareNode = median(Array.from({ length: 5 }, () => timed(process.execPath, ['-e', '0'])));
  const version = median(Array.from({ length: 5 }, () => timed(process.execPath, ['bin/rarft.js', '--version'])));
  const inProc = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = await refreshJobs(ws, ssh);
    inProc.push(performance.now() - t);
    if (r.filter((j) => j.state === 'running').length !== 20) throw new Error('not all 20 jobs running');
  }
  const cli = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync(
      process.execPath,
      ['bin/rarft.js', 'remote', 'status', '--json', '--workspace', ws, '--ssh-config', s.configFile],
      {
        env: { ...process.env, RARFT_SSH_CONTROL_DIR: s.controlDir },
      },
    );
    cli.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`rarft remote status: ${r.stderr}`);
  }
  console.log(`yardstick: one cold ssh login (full handshake) ${fmt(handshake)}`);
  console.log(
    `yardstick: bare \`ssh host true\` over the warm master ${fmt(bareSsh)}; \`node -e 0\` ${fmt(bareNode)}; ` +
      `\`rarft --version\` ${fmt(version)}; floor of a status process (node + one round trip) ${fmt(bareNode + bareSsh)}`,
  );
  line(
    'status of 20 jobs, warm master, in process (median of 5)',
    fmt(median(inProc)),
    `< 1000 ms (${(median(inProc) / handshake).toFixed(2)} × a handshake)`,
    median(inProc) < 1000,
  );
  line(
    'rarft remote status --json, 20 jobs, whole process (median of 5)',
    fmt(median(cli)),
    `< 1000 ms (${(median(cli) / handshake).toFixed(2)} × a handshake, ` +
      `${(median(cli) / (bareNode + bareSsh)).toFixed(2)} × node + one bare ssh)`,
    median(cli) < 1000,
  );
  line(
    'status of 20 jobs in process, over one bare ssh round trip',
    `${(median(inProc) / bareSsh).toFixed(2)} ×`,
    '≤ 1.5 × (one round trip for all jobs)',
    median(inProc) / bareSsh <= 1.5,
  );

  // Latency of a new line: the job prints its own clock; we note when the mirror shows it.
  const script = 'for i in $(seq 1 20); do sleep 0.3; echo "$(date +%s%N)"; done';
  const job = await launchJob(
    ws,
    { host: s.host, cwd: '/', argv: ['sh', '-c', script], remoteRoot: s.remoteRoot },
    ssh,
  );
  const path = mirrorPath(ws, job.id);
  const lat = [];
  let seen = 0;
  const check = () => {
    if (!existsSync(path) || statSync(path).size === 0) return;
    const ls = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const now = Date.now();
    for (; seen < ls.length; seen++) lat.push(now - Number(BigInt(ls[seen]) / 1000000n));
  };
  const stillRunning = async () =>
    (await refreshJobs(ws, ssh, [job.id])).find((j) => j.id === job.id)?.state === 'running';
  const mirroring = mirrorLog(ws, job, 'stdout', ssh, { stillRunning, onData: check });
  let w;
  const t = setInterval(() => {
    if (!w && existsSync(path)) w = watch(path, check);
  }, 5);
  await mirroring;
  clearInterval(t);
  w?.close();
  check();
  line(`new log line in the local mirror (median of ${lat.length})`, fmt(median(lat)), '< 1000 ms', median(lat) < 1000);
  line(
    `new log line in the local mirror (worst of ${lat.length})`,
    fmt(Math.max(...lat)),
    '< 1000 ms',
    Math.max(...lat) < 1000,
  );
  console.log('(the output channel reads the mirror on fs.watch, with a 300 ms poll as a fallback)');
} finally {
  await s.stop();
  rmSync(ws, { recursive: true, force: true });
}
