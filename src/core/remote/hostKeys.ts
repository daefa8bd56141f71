/** Host keys: the fingerprints a server offers, and adding an accepted one to known_hosts. */
import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { resolveHost, runLocal } from './local';

/**
 * The first file of an `ssh -G` list. ssh prints the list unquoted, so a path with spaces is
 * ambiguous: the shortest prefix naming an existing file (or one in an existing folder) wins.
 */
function firstPath(list: string): string {
  const words = list.split(' ').map((w) => w.replace(/^~(?=\/)/, homedir()));
  for (const exists of [existsSync, (p: string) => existsSync(dirname(p))])
    for (let k = 1; k <= words.length; k++) {
      const p = words.slice(0, k).join(' ');
      if (exists(p)) return p;
    }
  return words[0];
}

/** Where ssh looks for `host`'s key: the name in known_hosts, the address and port to scan. */
async function keyTarget(host: string, opts: { configFile?: string }) {
  const cfg = await resolveHost(host, opts);
  const hostname = cfg.get('hostname') ?? host;
  const port = cfg.get('port') ?? '22';
  const alias = cfg.get('hostkeyalias') ?? hostname;
  const name = port === '22' ? alias : `[${alias}]:${port}`;
  const file = firstPath(cfg.get('userknownhostsfile') ?? '~/.ssh/known_hosts');
  return { hostname, port, name, file };
}

/** Scans the keys `host` offers now: known_hosts lines and their `TYPE SHA256:…` fingerprints. */
async function scan(host: string, opts: { configFile?: string }) {
  const t = await keyTarget(host, opts);
  const r = await runLocal('ssh-keyscan', ['-T', '10', '-p', t.port, '--', t.hostname]);
  const lines = r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => `${t.name} ${l.split(' ').slice(1).join(' ')}`);
  const prints: string[] = [];
  for (const line of lines) {
    const f = await runLocal('ssh-keygen', ['-l', '-f', '-'], { input: `${line}\n` });
    // "256 SHA256:abc [127.0.0.1]:2222 (ED25519)"
    const m = /^\d+ (\S+) .*\((\w+)\)\s*$/.exec(f.stdout.trim());
    prints.push(m ? `${m[2]} ${m[1]}` : '?');
  }
  return { target: t, lines, prints };
}

/** The fingerprints (`ED25519 SHA256:…`) of the keys `host` offers. */
export async function hostKeyFingerprints(host: string, opts: { configFile?: string }): Promise<string[]> {
  return (await scan(host, opts)).prints;
}

/**
 * Adds `host`'s key to the user's known_hosts, but only the key whose fingerprint is
 * `fingerprint` (the one the user was shown and checked); returns the file written.
 */
export async function acceptHostKey(host: string, fingerprint: string, opts: { configFile?: string }): Promise<string> {
  const s = await scan(host, opts);
  const i = s.prints.findIndex((p) => p.split(' ')[1] === fingerprint || p === fingerprint);
  if (i < 0) {
    throw new Error(
      `${host}: offers ${s.prints.join(', ') || 'no key'}, not ${fingerprint}: not added (did you copy the whole fingerprint?)`,
    );
  }
  await mkdir(dirname(s.target.file), { recursive: true, mode: 0o700 });
  await appendFile(s.target.file, `${s.lines[i]}\n`, { mode: 0o600 });
  return s.target.file;
}
