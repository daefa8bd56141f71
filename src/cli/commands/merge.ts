/** `rarft merge <dir> [--force]` */
import { MergeError, mergeShards } from '../../core/merge';
import { CliError, parse, type Command } from '../io';

export const mergeUsage = 'rarft merge <dir> [--force]';

/** The `merge` command. */
export const mergeCommand: Command = {
  name: 'merge',
  usage: mergeUsage,
  run(args) {
    const { values, positionals } = parse(args, { force: { type: 'boolean' } });
    return runMerge(positionals, !!values.force);
  },
};

/** Merges GPU shards; returns the exit code. */
export async function runMerge(args: string[], force: boolean): Promise<number> {
  if (args.length !== 1) throw new CliError(`usage: ${mergeUsage}`, 2);
  try {
    const r = await mergeShards(args[0], { force });
    const list = r.shards.map((s) => `gpu${s.shard} (${s.items})`).join(', ');
    process.stdout.write(
      `${r.status === 'written' ? 'wrote' : 'up to date:'} ${r.out}: ${r.items} items from ${list}\n`,
    );
    if (r.missing.length)
      process.stderr.write(`warning: shard(s) ${r.missing.map((m) => `gpu${m}`).join(', ')} missing\n`);
    for (const f of r.forced) process.stderr.write(`warning (merged with --force): ${f}\n`);
    return 0;
  } catch (e) {
    if (e instanceof MergeError) throw new CliError(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new CliError(`${args[0]}: no such folder`);
    if (err.code === 'ENOTDIR')
      throw new CliError(`${args[0]}: not a folder (merge takes the folder that holds inference_results_gpu{i}.json)`);
    throw e;
  }
}
