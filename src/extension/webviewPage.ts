/**
 * The one page shell of every webview: a strict CSP (nothing but the extension's own files,
 * scripts by nonce, no inline style), media/base.css then the page's stylesheet, one script
 * bundle, and a placeholder the script replaces. The inspector, dashboard and curves pages differ only in the options here.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

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

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

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
  ].join('; ');
  const data = Object.entries(o.bodyData ?? {})
    .map(([k, v]) => ` data-${k}="${escapeAttr(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${base}">
<link rel="stylesheet" href="${style}">
<title>${escapeAttr(o.title)}</title>
</head>
<body${data} data-ready="0">
<main id="app" aria-live="polite"><p class="empty">${escapeAttr(o.placeholder)}</p></main>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
