/** A table as CSV, a Markdown table or a LaTeX tabular, ready to paste into a paper. */
import type { Table } from './model';

const cell = (v: string | number | null) => (v === null ? 'n/a' : String(v));

/** RFC 4180 CSV (fields with a comma, quote or line break quoted; quotes doubled). */
export function tableCsv(t: Table): string {
  const q = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [t.header, ...t.rows].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}

/** A GitHub-flavoured Markdown table (pipes and backslashes in cells escaped). */
export function tableMarkdown(t: Table): string {
  const esc = (v: string | number | null) => cell(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const numeric = t.header.map((_, k) => k > 0 && t.rows.every((r) => r[k] === null || !Number.isNaN(Number(r[k]))));
  const lines = [
    `| ${t.header.map(esc).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** A LaTeX `tabular` with booktabs rules, special characters escaped. */
export function tableLatex(t: Table): string {
  const esc = (v: string | number | null) => cell(v).replace(/[\\&%$#_{}~^]/g, (ch) => LATEX_SPECIAL[ch]);
  const cols = t.header.map((_, k) => (k === 0 ? 'l' : 'r')).join('');
  return [
    `% ${t.title}`,
    `\\begin{tabular}{${cols}}`,
    '\\toprule',
    `${t.header.map(esc).join(' & ')} \\\\`,
    '\\midrule',
    ...t.rows.map((r) => `${r.map(esc).join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
    '',
  ].join('\n');
}
