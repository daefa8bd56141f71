/** Which chart shows which logged keys, and which charts are shown before the user chooses. */

/** One chart: its id, title and the logged keys drawn in it. */
export interface Panel {
  id: string;
  title: string;
  keys: string[];
  /** Shown unless the user hid it. */
  shownByDefault: boolean;
}

const KNOWN: { id: string; title: string; match: (k: string) => boolean }[] = [
  { id: 'loss', title: 'Loss', match: (k) => k === 'loss' },
  { id: 'reward', title: 'Reward (mean and std)', match: (k) => k === 'reward' || k === 'reward_std' },
  {
    id: 'rewards',
    title: 'Rewards by function',
    match: (k) => k.startsWith('rewards/') && !k.endsWith('/std'),
  },
  { id: 'kl', title: 'KL', match: (k) => k === 'kl' },
  {
    id: 'zero-std',
    title: 'Share of groups with zero reward variance',
    match: (k) => k === 'frac_reward_zero_std',
  },
  {
    id: 'length',
    title: 'Completion length',
    match: (k) => k === 'completion_length' || k === 'completions/mean_length',
  },
  { id: 'entropy', title: 'Entropy', match: (k) => k === 'entropy' },
  { id: 'grad_norm', title: 'Gradient norm', match: (k) => k === 'grad_norm' },
  { id: 'learning_rate', title: 'Learning rate', match: (k) => k === 'learning_rate' },
  {
    id: 'eval',
    title: 'Evaluation',
    match: (k) => k.startsWith('eval_') && !/_(runtime|per_second)$/.test(k),
  },
];

/** The charts for a set of logged keys: the known ones in a fixed order, then one per other key (hidden at first). */
export function panelsFor(keys: Iterable<string>): Panel[] {
  const all = [...new Set(keys)].filter((k) => k !== 'epoch' && k !== 'step').sort();
  const used = new Set<string>();
  const out: Panel[] = [];
  for (const p of KNOWN) {
    const ks = all.filter((k) => p.match(k));
    if (!ks.length) continue;
    ks.forEach((k) => used.add(k));
    out.push({ id: p.id, title: p.title, keys: ks, shownByDefault: true });
  }
  for (const k of all) if (!used.has(k)) out.push({ id: `key:${k}`, title: k, keys: [k], shownByDefault: false });
  return out;
}

/** Same charts with the same keys (no need to rebuild the page). */
export function samePanels(a: readonly Panel[], b: readonly Panel[]): boolean {
  return a.length === b.length && a.every((p, i) => p.id === b[i].id && p.keys.join('\n') === b[i].keys.join('\n'));
}
