/**
 * The one page shell of every webview: a strict CSP (nothing but the extension's own files,
 * scripts by nonce, no inline style), media/base.css then the page's stylesheet, one script
 * bundle, and a placeholder the script replaces. The inspector, dashboard and curves pages differ only in the options here.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { escapeHtml, htmlPage } from '../core/htmlPage';

export interface PageOptions {
  /** The bundle under dist/webview/ (without .js). */
  script: string;
  /** The stylesheet under media/ (without .css). */
  style: string;
  title: string;
  /** Shown until the script has drawn. */
  placeholder: string;
  /** Extra CSP sources: `media` lets <video> play the extension's resources, `blob` lets charts export images. */
  allow?: ('media' | 'blob')[];
  /** data-* attributes of <body> besides data-ready. */
  bodyData?: Record<string, string>;
}

/** The page HTML for a webview; all content is filled in by the script. */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, o: PageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${o.script}.js`));
  const base = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'base.css'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${o.style}.css`));
  const src = webview.cspSource;
  const allow = new Set(o.allow ?? []);
  const csp = [
    `default-src 'none'`,
    `img-src ${src} data:${allow.has('blob') ? ' blob:' : ''}`,
    ...(allow.has('media') ? [`media-src ${src}`] : []),
    `style-src ${src}`,
    `font-src ${src}`,
    `script-src 'nonce-${nonce}'`,
  ];
  const data = Object.entries(o.bodyData ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return htmlPage({
    csp,
    title: o.title,
    head: `<link rel="stylesheet" href="${base}">\n<link rel="stylesheet" href="${style}">`,
    bodyAttrs: `${data} data-ready="0"`,
    body: `<main id="app" aria-live="polite"><p class="empty">${escapeHtml(o.placeholder)}</p></main>
<script type="module" nonce="${nonce}" src="${script}"></script>`,
  });
}
