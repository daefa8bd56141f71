/** Detached jobs over a real sshd: quoting, reattaching after a dropped connection, cancel, host keys. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fakeCheckout, launch, remote, remoteAsync, tempDir, until, waitState } from '../../support/remote';
import { type Sshd, startSshd } from '../../support/sshd';

let s: Sshd;
let ws: string;
const rootArgs = () => ['--remote-root', s.remoteRoot];

before(async () => {
  s = await startSshd();
  ws = tempDir('rarft ws');
});
after(async () => {
  await s?.stop();
  rmSync(ws, { recursive: true, force: true });
});

describe('rarft remote over ssh', () => {
  test('hosts lists the config host; check reports what is there and names what is missing', () => {
    const h = remote(s, ws, ['hosts', '--json']);
    assert.equal(h.status, 0, h.stderr);
    const hosts = JSON.parse(h.stdout).hosts;
    assert.deepEqual(hosts, [{ name: 'rarft-test', hostname: '127.0.0.1', port: s.port, user: 'root' }]);
    const co = fakeCheckout();
    const r = remote(s, ws, ['check', s.host, '--checkout', co, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const c = JSON.parse(r.stdout);
    assert.equal(c.reachable, true);
    assert.equal(c.gpus, null);
    assert.match(c.missing.join('\n'), /nvidia-smi not found/);
    assert.match(c.python, /python3? .*Python 3/);
    assert.equal(c.checkout.found, true);
    assert.ok(c.disk.freeBytes > 0);
    const bad = JSON.parse(remote(s, ws, ['check', s.host, '--checkout', join(co, 'nope'), '--json']).stdout);
    assert.equal(bad.checkout.found, false);
    assert.match(bad.missing.join('\n'), /RA-RFT checkout not found: no folder .*nope/);
  });

  test('arguments with spaces, quotes, ;, $() and newlines reach the job unchanged', async () => {
    const cwd = tempDir(`it's a "dir"; $(touch pwned)`);
    const marker = join(cwd, 'pwned');
    const weird = [
      'a b',
      "it's",
      '"dq"',
      'x; touch pwned',
      '$(touch pwned)',
      '`touch pwned`',
      'line1\nline2',
      '',
      '*',
      '$HOME',
    ];
    const id = launch(s, ws, [
      '--cwd',
      cwd,
      ...rootArgs(),
      '--',
      'python3',
      '-c',
      'import sys, os, json; print(json.dumps([os.getcwd()] + sys.argv[1:]))',
      ...weird,
    ]);
    const st = await waitState(s, ws, id, ['exited']);
    assert.equal(st.exit_code, 0);
    const log = remote(s, ws, ['logs', id]);
    assert.equal(log.status, 0, log.stderr);
    assert.deepEqual(JSON.parse(log.stdout), [cwd, ...weird]);
    assert.equal(existsSync(marker), false);
    assert.equal(existsSync(join(s.dir, 'pwned')), false);
  });

  test('a non-zero exit is recorded; a missing folder fails the launch with the reason', async () => {
    const id = launch(s, ws, ['--cwd', '/', ...rootArgs(), '--', 'sh', '-c', 'echo oops >&2; exit 7']);
    assert.deepEqual(await waitState(s, ws, id, ['exited']), {
      job: id,
      state: 'exited',
      exit_code: 7,
      host: s.host,
      engine: 'ssh',
    });
    assert.equal(remote(s, ws, ['logs', id, '--stderr']).stdout, 'oops\n');
    const r = remote(s, ws, ['launch', s.host, '--cwd', '/no/such dir', ...rootArgs(), '--', 'true']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /launch failed: .*no\/such dir/);
    const jobs = JSON.parse(readFileSync(join(ws, '.rarft', 'jobs.json'), 'utf8')).jobs;
    assert.ok(jobs.every((j: { cwd: string }) => j.cwd !== '/no/such dir'));
  });

  test('the job outlives a dropped connection; reattaching shows the whole log once', async () => {
    const n = 30;
    const script = `for i in $(seq 1 ${n}); do echo "line $i"; sleep 0.1; done`;
    const id = launch(s, ws, ['--cwd', '/', ...rootArgs(), '--', 'sh', '-c', script]);
    let dropped = false;
    const f = remoteAsync(s, ws, ['logs', id, '--follow'], (out) => {
      if (!dropped && out.includes('line 3\n')) {
        dropped = true;
        s.dropConnections();
      }
    });
    const r = await f.done;
    assert.equal(r.status, 0, r.stderr);
    assert.ok(dropped, 'the connection was dropped mid-job');
    assert.match(r.stderr, /connection lost/);
    const want = Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join('');
    assert.equal(r.stdout, want);
    assert.deepEqual((await waitState(s, ws, id, ['exited'])).exit_code, 0);
    // Reattaching later prints it all once more, from the mirror, without duplicates.
    assert.equal((await remoteAsync(s, ws, ['logs', id, '--follow']).done).stdout, want);
    assert.equal(readFileSync(join(ws, '.rarft', 'jobs', id, 'stdout.log'), 'utf8'), want);
  });

  test('cancel kills the whole process group', async () => {
    const dir = tempDir('cancel');
    const script = `sleep 300 & echo $! > "${dir}/child"; sh -c 'sleep 300' & echo $! > "${dir}/grandchild"; echo started; wait`;
    const id = launch(s, ws, ['--cwd', '/', ...rootArgs(), '--', 'sh', '-c', script]);
    await until(
      'the children',
      () => existsSync(join(dir, 'grandchild')) && readFileSync(join(dir, 'grandchild'), 'utf8').trim(),
    );
    const pids = ['child', 'grandchild'].map((f) => Number(readFileSync(join(dir, f), 'utf8')));
    const r = remote(s, ws, ['cancel', id, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).state, 'cancelled');
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
    assert.equal(remote(s, ws, ['cancel', id]).status, 1);
  });

  test('an unknown host key shows its fingerprint and is refused until accepted; a changed key refuses', () => {
    const fp = execFileSync('ssh-keygen', ['-l', '-f', join(s.dir, 'host_key.pub')], { encoding: 'utf8' }).split(
      ' ',
    )[1];
    const good = readFileSync(s.knownHosts, 'utf8');
    try {
      writeFileSync(s.knownHosts, '');
      s.dropConnections(); // a live master would skip the key check
      const r = remote(s, ws, ['check', s.host, '--json']);
      assert.equal(r.status, 1);
      const c = JSON.parse(r.stdout);
      assert.equal(c.reachable, false);
      assert.deepEqual(c.hostKey, { kind: 'unknown', fingerprints: [`ED25519 ${fp}`] });
      assert.match(c.error, new RegExp(`not known: ED25519 ${fp.replace(/[+/]/g, '\\$&')}`));
      const l = remote(s, ws, ['launch', s.host, ...rootArgs(), '--', 'true']);
      assert.equal(l.status, 1);
      assert.ok(l.stderr.includes(fp), l.stderr);
      const wrong = remote(s, ws, [
        'check',
        s.host,
        '--accept-host-key',
        'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ]);
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, /not added/);
      assert.equal(readFileSync(s.knownHosts, 'utf8'), '');
      const ok = remote(s, ws, ['check', s.host, '--accept-host-key', fp, '--json']);
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(JSON.parse(ok.stdout).reachable, true);
      // Another key recorded for this host: refused.
      const other = join(tempDir('key'), 'k');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const otherKey = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
      writeFileSync(s.knownHosts, `[127.0.0.1]:${s.port} ${otherKey}\n`);
      s.dropConnections(); // a live master would skip the key check
      const ch = remote(s, ws, ['check', s.host, '--json']);
      assert.equal(ch.status, 1);
      assert.equal(JSON.parse(ch.stdout).hostKey.kind, 'changed');
      assert.match(JSON.parse(ch.stdout).error, /CHANGED/);
    } finally {
      writeFileSync(s.knownHosts, good);
    }
  });
});

function alive(pid: number): boolean {
  try {
    const st = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(st);
  } catch {
    return false;
  }
}
