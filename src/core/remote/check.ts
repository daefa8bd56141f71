/** "Check Host": reachability, GPUs, Python/conda, the RA-RFT checkout and free disk, in one ssh call. */
import { shQuote } from './quote';
import { HostKeyError, runRemote, type SshOptions, UnreachableError } from './ssh';

/** One GPU as nvidia-smi reports it. */
export interface Gpu {
  index: number;
  name: string;
  memoryTotalMiB: number;
  memoryUsedMiB: number;
  utilizationPercent: number;
}

/** What `checkHost` found. */
export interface HostCheck {
  host: string;
  reachable: boolean;
  /** Why not reachable (unknown or changed host key, connection refused, …). */
  error?: string;
  hostKey?: { kind: 'unknown' | 'changed'; fingerprints: string[] };
  /** null when nvidia-smi is not installed on the host. */
  gpus: Gpu[] | null;
  python: string | null;
  conda: { path: string; env: string | null } | null;
  slurm: boolean;
  rsync: boolean;
  checkout: { path: string; found: boolean; files: string[] };
  disk: { path: string; freeBytes: number } | null;
  /** Each missing part, named, e.g. "nvidia-smi not found (no NVIDIA GPUs visible)". */
  missing: string[];
}

/** The files that make a folder an RA-RFT checkout. */
export const CHECKOUT_FILES = ['main_rarft.py', 'inference.py', 'scripts/train_rarft.sh'];

/** The probe script: prints `key<TAB>value` lines. */
export function checkScript(checkout: string): string {
  const c = shQuote(checkout);
  return [
    'cd "$HOME" 2>/dev/null',
    'if command -v nvidia-smi >/dev/null 2>&1; then',
    '  nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits | sed "s/^/gpu\\t/"',
    '  echo "nvidia-smi\\tyes"',
    'else echo "nvidia-smi\\tno"; fi',
    'p=$(command -v python3 || command -v python) && echo "python\\t$p $($p --version 2>&1)"',
    'k=$(command -v conda) && echo "conda\\t$k\\t$CONDA_DEFAULT_ENV"',
    'command -v sbatch >/dev/null 2>&1 && echo "slurm\\tyes"',
    'command -v rsync >/dev/null 2>&1 && echo "rsync\\tyes"',
    `for f in ${CHECKOUT_FILES.map(shQuote).join(' ')}; do [ -f ${c}/"$f" ] && echo "file\\t$f"; done`,
    `[ -d ${c} ] && echo "checkout\\t$(cd ${c} && pwd)"`,
    `d=${c}; [ -d "$d" ] || d=.`,
    'df -Pk "$d" 2>/dev/null | awk \'NR==2 {print "disk\\t" $4 * 1024 "\\t" $6}\'',
  ].join('\n');
}

/** Parses the probe's output into a HostCheck. */
export function parseCheck(host: string, checkout: string, out: string): HostCheck {
  const rows = out.split('\n').map((l) => l.split('\t'));
  const get = (k: string) => rows.find((r) => r[0] === k);
  const hasSmi = get('nvidia-smi')?.[1] === 'yes';
  const gpus = hasSmi
    ? rows
        .filter((r) => r[0] === 'gpu')
        .map((r) => r[1].split(',').map((s) => s.trim()))
        .map(([i, name, tot, used, util]) => ({
          index: Number(i),
          name,
          memoryTotalMiB: Number(tot),
          memoryUsedMiB: Number(used),
          utilizationPercent: Number(util),
        }))
    : null;
  const py = get('python');
  const conda = get('conda');
  const files = rows.filter((r) => r[0] === 'file').map((r) => r[1]);
  const dir = get('checkout')?.[1];
  const disk = get('disk');
  const res: HostCheck = {
    host,
    reachable: true,
    gpus,
    python: py ? py[1] : null,
    conda: conda ? { path: conda[1], env: conda[2] || null } : null,
    slurm: !!get('slurm'),
    rsync: !!get('rsync'),
    checkout: { path: dir ?? checkout, found: CHECKOUT_FILES.every((f) => files.includes(f)), files },
    disk: disk ? { path: disk[2], freeBytes: Number(disk[1]) } : null,
    missing: [],
  };
  if (!gpus) res.missing.push('nvidia-smi not found: no NVIDIA GPUs visible on this host');
  else if (!gpus.length) res.missing.push('nvidia-smi lists no GPUs');
  if (!res.python) res.missing.push('python3 not found on PATH');
  if (!dir) res.missing.push(`RA-RFT checkout not found: no folder ${checkout}`);
  else
    for (const f of CHECKOUT_FILES)
      if (!files.includes(f)) res.missing.push(`RA-RFT checkout ${res.checkout.path}: ${f} missing`);
  if (!res.rsync) res.missing.push('rsync not found (transfers fall back to tar over ssh)');
  if (!res.disk) res.missing.push('free disk unknown (df failed)');
  return res;
}

/** Checks a host; an unreachable host is a result (`reachable: false`), not an exception. */
export async function checkHost(host: string, checkout: string, opts: SshOptions): Promise<HostCheck> {
  try {
    const r = await runRemote(host, checkScript(checkout), opts);
    return parseCheck(host, checkout, r.stdout);
  } catch (e) {
    if (!(e instanceof HostKeyError || e instanceof UnreachableError)) throw e;
    return {
      host,
      reachable: false,
      error: e.message,
      ...(e instanceof HostKeyError ? { hostKey: { kind: e.kind, fingerprints: e.fingerprints } } : {}),
      gpus: null,
      python: null,
      conda: null,
      slurm: false,
      rsync: false,
      checkout: { path: checkout, found: false, files: [] },
      disk: null,
      missing: [e.message],
    };
  }
}

/** GPU use on a host right now (`nvidia-smi`), or null when it has none or cannot be asked. */
export async function gpuUse(host: string, opts: SshOptions): Promise<Gpu[] | null> {
  try {
    const r = await runRemote(host, checkScript('.').split('\n').slice(0, 6).join('\n'), opts);
    return parseCheck(host, '.', r.stdout).gpus;
  } catch {
    return null;
  }
}
