/** Flag commands: flag a sample or a whole video, remove a flag, filter the views by a flag. */
import * as vscode from 'vscode';
import { checkTag, FLAG_TAGS, withFlag, withoutFlags } from '../../core/curation/flags';
import type { SampleRef } from '../../core/inspect/sampleTypes';
import type { FeatureDeps } from '../deps';
import { refArg } from './edits';

/** A flag target: a query (a sample row) or a whole video (a video row). */
interface Target {
  file: string;
  video: string;
  query: string | null;
}

function targetOf(arg: unknown, last: SampleRef | undefined): Target | undefined {
  const ref = refArg(arg);
  if (ref) return { file: ref.file, video: ref.video, query: ref.query };
  const v = arg as { kind?: unknown; file?: { path?: unknown }; video?: unknown } | undefined;
  if (v?.kind === 'video' && typeof v.file?.path === 'string' && typeof v.video === 'string')
    return { file: v.file.path, video: v.video, query: null };
  return last ? { file: last.file, video: last.video, query: last.query } : undefined;
}

async function pickTag(existing: string[]): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { tag?: string };
  const custom = existing.filter((t) => !(FLAG_TAGS as readonly string[]).includes(t));
  const items: Item[] = [...FLAG_TAGS, ...custom].map((t) => ({ label: t, tag: t }));
  items.push({ label: '$(edit) Another tag…' });
  const pick = await vscode.window.showQuickPick(items, {
    ignoreFocusOut: true,
    title: 'RA-RFT: Flag',
    placeHolder: 'Tag',
  });
  if (!pick) return undefined;
  if (pick.tag) return pick.tag;
  return vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'RA-RFT: Flag',
    prompt: 'Tag (one line)',
    validateInput: checkTag,
  });
}

/** Registers rarft.flagSample, rarft.unflagSample and rarft.filterByFlag; `filterBy` sets the views' flag filter. */
export function registerFlagCommands(deps: FeatureDeps, filterBy: (tag: string | null) => void): vscode.Disposable {
  let last: SampleRef | undefined;
  const flagSample = async (arg: unknown) => {
    const t = targetOf(arg, last);
    if (!t) return void vscode.window.showInformationMessage('RA-RFT: select a sample in the Datasets view first');
    const tag = await pickTag(deps.flags.tags());
    if (!tag) return;
    const note = await vscode.window.showInputBox({
      ignoreFocusOut: true,
      title: `RA-RFT: Flag as ${tag}`,
      prompt: 'Note (optional)',
    });
    if (note === undefined) return;
    const flag = { ...t, file: deps.flags.fileName(t.file), tag: tag.trim(), created: new Date().toISOString() };
    await deps.flags.update((flags) => withFlag(flags, note.trim() ? { ...flag, note } : flag));
    deps.log.info(`flagged ${t.video} ${t.query ?? '(whole video)'} as ${tag}`);
  };
  const unflagSample = async (arg: unknown) => {
    const t = targetOf(arg, last);
    if (!t) return;
    const file = deps.flags.fileName(t.file);
    const own = deps.flags.all().filter((f) => f.file === file && f.video === t.video && f.query === t.query);
    if (!own.length) return void vscode.window.showInformationMessage('RA-RFT: no flag on this sample');
    const pick = await vscode.window.showQuickPick(
      own.map((f) => ({ label: f.tag, description: f.note })),
      { ignoreFocusOut: true, title: 'RA-RFT: Remove Flag' },
    );
    if (pick) await deps.flags.update((flags) => withoutFlags(flags, { ...t, file }, pick.label).flags);
  };
  const filterByFlag = async (tag?: unknown) => {
    if (typeof tag === 'string') return filterBy(tag);
    const tags = deps.flags.tags();
    if (!tags.length) return void vscode.window.showInformationMessage('RA-RFT: no sample is flagged yet');
    const pick = await vscode.window.showQuickPick(tags, { ignoreFocusOut: true, title: 'RA-RFT: Filter by Flag' });
    if (pick) filterBy(pick);
  };
  return vscode.Disposable.from(
    deps.selection.event((ref) => (last = ref)),
    vscode.commands.registerCommand('rarft.flagSample', flagSample),
    vscode.commands.registerCommand('rarft.unflagSample', unflagSample),
    vscode.commands.registerCommand('rarft.filterByFlag', filterByFlag),
  );
}
