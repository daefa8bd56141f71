/** The one HTML page shell: the webviews and the self-contained report differ only in what goes in it. */

/** Text escaped for HTML content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A page: CSP meta first, then the title and `head`; `body` as given, with `bodyAttrs` (already escaped) on <body>. */
export function htmlPage(o: { csp: string[]; title: string; head: string; bodyAttrs: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${o.csp.join('; ')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title)}</title>
${o.head}
</head>
<body${o.bodyAttrs}>
${o.body}
</body>
</html>
`;
}
