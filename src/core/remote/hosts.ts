/** The hosts a user has: `Host` names in their ssh config (and its Includes), plus configured extras. */
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';

/** Host names (no wildcard patterns, no negations) declared in an ssh config and what it includes. */
export async function configHosts(
  file = join(homedir(), '.ssh', 'config'),
  seen = new Set<string>(),
): Promise<string[]> {
  if (seen.has(file)) return [];
  seen.add(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^(\w+)\s*=?\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const words = m[2]
      .split(/\s+/)
      .map((w) => w.replace(/^"|"$/g, ''))
      .filter(Boolean);
    if (key === 'host') out.push(...words.filter((w) => !/[*?!]/.test(w)));
    if (key === 'include') {
      for (const w of words) {
        const pat = w.startsWith('~/') ? join(homedir(), w.slice(2)) : isAbsolute(w) ? w : join(dirname(file), w);
        for (const f of await expand(pat)) out.push(...(await configHosts(f, seen)));
      }
    }
  }
  return out;
}

/** Configured extras first-listed-wins merged with the config's hosts, without duplicates. */
export async function listHosts(o: { configFile?: string; extra?: string[] } = {}): Promise<string[]> {
  return [...new Set([...(await configHosts(o.configFile)), ...(o.extra ?? [])])];
}

/** Expands `*` and `?` in the last part of a path (what ssh Include lines use). */
async function expand(pattern: string): Promise<string[]> {
  const base = basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  const names = await readdir(dirname(pattern)).catch(() => [] as string[]);
  return names
    .filter((n) => re.test(n))
    .sort()
    .map((n) => join(dirname(pattern), n));
}
