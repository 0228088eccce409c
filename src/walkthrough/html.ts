// The page's HTML: a strict Content Security Policy (nothing by default; the one script only with
// this load's nonce; styles, images and fonts only from the webview's own resource origin, which
// localResourceRoots limits to the extension's media folders). No inline script, style or handler.
import { randomBytes } from 'node:crypto';

export interface PageResources {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of dist/media/walkthrough.js */
  scriptUri: string;
  /** asWebviewUri of media/walkthrough/walkthrough.css */
  styleUri: string;
  title: string;
}

/** A fresh nonce for each load: 144 random bits, base64. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

export function pageHtml(r: PageResources, nonce = newNonce()): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(r.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(r.styleUri)}">
<title>${attr(r.title)}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${attr(nonce)}" src="${attr(r.scriptUri)}"></script>
</body>
</html>`;
}
