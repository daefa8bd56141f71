/** `rarft flag add|remove|list`: flags and tags in the sidecar `.rarft/flags.json`. */
import { resolve } from 'node:path';
import { CurationError, loadAnnoDoc } from '../../core/curation/annoDoc';
import {
  checkTag,
  FLAG_TAGS,
  flagFileName,
  flagsPath,
  readFlags,
  updateFlags,
  withFlag,
  withoutFlags,
  type Flag,
} from '../../core/curation/flags';
import { CliError, parse, table, type Command } from '../io';

export const flagUsage =
  'rarft flag add|remove <anno.json> --video V [--query Q] [--tag T] [--note N] [--root DIR] | rarft flag list [--tag T] [--root DIR] [--json]';

const spec = {
  video: { type: 'string' },
  query: { type: 'string' },
  tag: { type: 'string' },
  note: { type: 'string' },
  root: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The `flag` command. */
export const flagCommand: Command = {
  name: 'flag',
  usage: flagUsage,
  async run(args) {
    const { values, positionals } = parse(args, spec);
    const [action, file, ...extra] = positionals;
    const root = resolve(values.root ?? '.');
    try {
      if (action === 'list') {
        if (file !== undefined) throw new CliError(`flag list takes no file\nusage: ${flagUsage}`, 2);
        return await list(root, values.tag, !!values.json);
      }
      if ((action !== 'add' && action !== 'remove') || !file || extra.length)
        throw new CliError(`usage: ${flagUsage}`, 2);
      if (values.video === undefined) throw new CliError(`flag ${action}: --video is required`, 2);
      const id = { file: flagFileName(root, resolve(file)), video: values.video, query: values.query ?? null };
      await checkSampleExists(file, id.video, id.query);
      if (action === 'add') return await add(root, id, values.tag, values.note, !!values.json);
      const before = await readFlags(root);
      const { removed } = withoutFlags(before, id, values.tag);
      if (!removed) throw new CliError(`no flag${values.tag ? ` '${values.tag}'` : ''} on that sample`);
      await updateFlags(root, (flags) => withoutFlags(flags, id, values.tag).flags);
      process.stdout.write(`removed ${removed} flag${removed === 1 ? '' : 's'} (${flagsPath(root)})\n`);
      return 0;
    } catch (e) {
      if (e instanceof CurationError) throw new CliError(e.message);
      throw e;
    }
  },
};

async function add(
  root: string,
  id: { file: string; video: string; query: string | null },
  tag: string | undefined,
  note: string | undefined,
  json: boolean,
): Promise<number> {
  if (tag === undefined) throw new CliError(`flag add: --tag is required (${FLAG_TAGS.join(', ')} or your own)`, 2);
  const bad = checkTag(tag);
  if (bad) throw new CliError(`--tag: ${bad}`, 2);
  const flag: Flag = { ...id, tag: tag.trim(), created: new Date().toISOString() };
  if (note?.trim()) flag.note = note;
  await updateFlags(root, (flags) => withFlag(flags, flag));
  if (json) process.stdout.write(JSON.stringify(flag, null, 2) + '\n');
  else process.stdout.write(`flagged ${describe(flag)} as ${flag.tag} (${flagsPath(root)})\n`);
  return 0;
}

async function list(root: string, tag: string | undefined, json: boolean): Promise<number> {
  const flags = (await readFlags(root)).filter((f) => tag === undefined || f.tag === tag);
  if (json) {
    process.stdout.write(JSON.stringify({ flags }, null, 2) + '\n');
    return 0;
  }
  if (!flags.length) {
    process.stdout.write('no flags\n');
    return 0;
  }
  const rows = [['tag', 'file', 'video', 'query', 'note']];
  for (const f of flags) rows.push([f.tag, f.file, f.video, f.query ?? '(whole video)', f.note ?? '']);
  process.stdout.write(table(rows) + '\n');
  return 0;
}

function describe(f: Flag): string {
  return f.query === null ? `${f.video} in ${f.file}` : `"${f.query}" (${f.video}, ${f.file})`;
}

/** A flag on a sample that is not in the file is a typo: refuse it rather than keep a flag nothing matches. */
async function checkSampleExists(file: string, video: string, query: string | null): Promise<void> {
  const doc = await loadAnnoDoc(file);
  const entries = doc.entries.filter((e) => e.video === video);
  if (!entries.length) throw new CliError(`${file}: no entry has video ${JSON.stringify(video)}`);
  if (query !== null && !entries.some((e) => e.queries.some((q) => q.q === query)))
    throw new CliError(`${file}: video ${JSON.stringify(video)} has no query ${JSON.stringify(query)}`);
}
