/** The one function that builds the inspector page: strict CSP, nonce script, no inline style. */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** The page HTML for a webview; all content is filled in by the script. */
export function inspectorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'inspector.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'inspector.css'));
  const src = webview.cspSource;
  const csp = [
    `default-src 'none'`,
    `img-src ${src} data:`,
    `media-src ${src}`,
    `style-src ${src}`,
    `font-src ${src}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>RA-RFT Inspector</title>
</head>
<body data-ready="0">
<main id="app" aria-live="polite"><p class="empty">Select a query in the RA-RFT Datasets or Runs view.</p></main>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
