/** The one function that builds the dashboard page: strict CSP, nonce script, stylesheet from the bundle. */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** The page HTML; the script asks the host for its data. */
export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'dashboard.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dashboard.css'));
  const src = webview.cspSource;
  const csp = [
    `default-src 'none'`,
    `img-src ${src} data: blob:`,
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
<title>RA-RFT Dashboard</title>
</head>
<body data-ready="0">
<main id="app" aria-live="polite"><p class="empty">Loading the evaluation…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
