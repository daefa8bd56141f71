/** The one function that builds the training-curves and rollouts pages: strict CSP, nonce script, no inline style. */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** The page HTML for `app`; all content is filled in by the script. */
export function curvesHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: 'curves' | 'rollouts'): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'curves.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'curves.css'));
  const src = webview.cspSource;
  const csp = [
    `default-src 'none'`,
    `img-src ${src} data:`,
    `style-src ${src}`,
    `font-src ${src}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const title = app === 'curves' ? 'RA-RFT Training Curves' : 'RA-RFT Rollouts';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${title}</title>
</head>
<body data-app="${app}" data-ready="0">
<main id="app" aria-live="polite"><p class="empty">Reading the log…</p></main>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
