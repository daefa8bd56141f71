/**
 * The self-contained report: one HTML file with the dashboard app, its stylesheet and the data
 * inlined, a strict CSP (`default-src 'none'`, script and style by nonce) and no network use.
 */
import { randomBytes } from 'node:crypto';
import { htmlPage } from '../htmlPage';
import type { DashboardData } from './data';

/** Text that may sit inside a `<script>` or `<style>` element without closing it. */
function inert(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The report page. `script` is the dashboard bundle (chart.js inside), `css` its stylesheet; the
 * data goes in a JSON data block (`<` escaped, so dataset text cannot end it).
 */
export function reportHtml(data: DashboardData, script: string, css: string): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    `img-src data: blob:`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ];
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const code = script.replace(/\n\/\/# sourceMappingURL=.*$/m, '');
  return htmlPage({
    csp,
    title: data.title,
    head: `<style nonce="${nonce}">${inert(css)}</style>`,
    bodyAttrs: ' data-ready="0"',
    body: `<main id="app"><p class="empty">This report needs JavaScript to draw its charts.</p></main>
<script type="application/json" id="rarft-data">${json}</script>
<script nonce="${nonce}">${inert(code)}</script>`,
  });
}

/** The dashboard bundle and stylesheet of an installed build (`distDir` holds `webview/dashboard.js`). */
export async function reportAssets(distDir: string): Promise<{ script: string; css: string }> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const script = join(distDir, 'webview', 'dashboard.js');
  const css = join(distDir, '..', 'media', 'dashboard.css');
  try {
    return { script: await readFile(script, 'utf8'), css: await readFile(css, 'utf8') };
  } catch (e) {
    throw new Error(`the dashboard bundle is missing (${script}, ${css}): run npm run build (${(e as Error).message})`);
  }
}
