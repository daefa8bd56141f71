/** "Check Host": reachability, GPUs, Python/conda, the RA-RFT checkout and free disk, in one ssh call. */
import { shQuote } from './quote';
import { HostKeyError, runRemote, type SshOptions, UnreachableError } from './ssh';

/** One GPU as nvidia-smi reports it (null where it says `[N/A]` or `[Not Supported]`). */
export interface Gpu {
  index: number;
  name: string;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  utilizationPercent: number | null;
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

/** The nvidia-smi query the probe runs (one CSV line per GPU, no header, no units). */
export const GPU_QUERY =
  'nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits';

/** sh printing `gpu<TAB>line` for each line nvidia-smi printed, then `nvidia-smi<TAB>yes<TAB>exit code` (or `no`). */
const GPU_SCRIPT = [
  'if command -v nvidia-smi >/dev/null 2>&1; then',
  `  g=$(${GPU_QUERY} 2>&1); rc=$?`,
  '  printf "%s\\n" "$g" | sed "s/^/gpu\\t/"',
  '  echo "nvidia-smi\\tyes\\t$rc"',
  'else echo "nvidia-smi\\tno"; fi',
].join('\n');

/** What nvidia-smi's CSV said: the GPUs, and what was wrong when it failed or printed something else. */
export interface GpuReport {
  gpus: Gpu[];
  /** nvidia-smi failed (its message) or printed lines that are no GPU row. */
  problem?: string;
}

/** A number, or null for nvidia-smi's `[N/A]`/`[Not Supported]`; units (`MiB`, `%`) are dropped. */
function smiNumber(v: string): number | null | undefined {
  const t = v.trim().replace(/\s*(MiB|%)$/, '');
  if (/^\[.*\]$/.test(t) || t === 'N/A') return null;
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

/**
 * Parses the output of the GPU query (`index, name, memory.total, memory.used, utilization.gpu`,
 * with or without header and units; a name may hold commas). A non-zero `exitCode` or a line
 * that is no GPU row (the driver's "NVIDIA-SMI has failed …") is reported as `problem`.
 */
export function parseNvidiaSmi(text: string, exitCode = 0): GpuReport {
  const gpus: Gpu[] = [];
  const other: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || /^index,\s*name,/.test(line)) continue;
    const f = line.split(',');
    const index = f.length >= 5 && /^\d+$/.test(f[0].trim()) ? Number(f[0]) : undefined;
    const nums = f.slice(-3).map(smiNumber);
    if (index === undefined || nums.some((n) => n === undefined)) {
      other.push(line);
      continue;
    }
    const [memoryTotalMiB, memoryUsedMiB, utilizationPercent] = nums as (number | null)[];
    gpus.push({ index, name: f.slice(1, -3).join(',').trim(), memoryTotalMiB, memoryUsedMiB, utilizationPercent });
  }
  if (exitCode !== 0)
    return { gpus, problem: `nvidia-smi failed (exit ${exitCode})${other.length ? `: ${other.join(' ')}` : ''}` };
  return other.length
    ? { gpus, problem: `nvidia-smi printed lines that are no GPU row: ${other.join(' | ')}` }
    : { gpus };
}

/** A short text of the GPUs' use for a job row, e.g. `2 GPU 87%` (use unknown: `2 GPU`); empty without GPUs. */
export function gpuSummary(gpus: readonly Gpu[] | null): string {
  if (!gpus?.length) return '';
  const known = gpus.map((g) => g.utilizationPercent).filter((u): u is number => u !== null);
  const use = known.length ? ` ${Math.round(known.reduce((a, u) => a + u, 0) / known.length)}%` : '';
  return `${gpus.length} GPU${use}`;
}

/** The probe script: prints `key<TAB>value` lines. */
export function checkScript(checkout: string): string {
  const c = shQuote(checkout);
  return [
    'cd "$HOME" 2>/dev/null',
    GPU_SCRIPT,
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
  const smi = get('nvidia-smi');
  const report =
    smi?.[1] === 'yes'
      ? parseNvidiaSmi(
          rows
            .filter((r) => r[0] === 'gpu')
            .map((r) => r.slice(1).join('\t'))
            .join('\n'),
          Number(smi[2] ?? 0) || 0,
        )
      : null;
  const gpus = report?.gpus ?? null;
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
  else if (report?.problem) res.missing.push(report.problem);
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
    const r = await runRemote(host, GPU_SCRIPT, opts);
    return parseCheck(host, '.', r.stdout).gpus;
  } catch {
    return null;
  }
}
