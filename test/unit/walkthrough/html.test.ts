import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentSecurityPolicy, pageHtml } from '../../../src/walkthrough/html';

const resources = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/walkthrough.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/walkthrough/walkthrough.css',
  title: 'KMS: Getting Started',
};

describe('walkthrough page HTML and CSP', () => {
  it("denies everything by default and allows scripts only by this load's nonce", () => {
    const csp = contentSecurityPolicy(resources.cspSource, 'abc123');
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'nonce-abc123'"]);
    assert.deepEqual(directives.get('style-src'), [resources.cspSource]);
    assert.deepEqual(directives.get('img-src'), [resources.cspSource]);
    assert.ok(
      !csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('http:') && !/\*(?!\.)/.test(csp),
    );
  });

  it('loads one script with the nonce, one stylesheet, nothing inline, a new nonce per load', () => {
    const html = pageHtml(resources, 'n0nce');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="n0nce" src="${resources.scriptUri}">`]);
    assert.ok(!/<style\b|\sstyle=|\son\w+=/i.test(html), 'no inline style or event handler');
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${resources.styleUri.replace(/[.+/]/g, '\\$&')}">`));
    const nonces = new Set(
      [pageHtml(resources), pageHtml(resources), pageHtml(resources)].map((h) => /nonce="([^"]+)"/.exec(h)![1]),
    );
    assert.equal(nonces.size, 3);
    for (const n of nonces) assert.ok(Buffer.from(n, 'base64').length >= 16);
  });

  it('the page script and style use no remote resources, inline handlers or HTML injection', () => {
    const root = path.join(__dirname, '../../../media/walkthrough');
    const script = fs.readFileSync(path.join(root, 'main.ts'), 'utf8');
    const css = fs.readFileSync(path.join(root, 'walkthrough.css'), 'utf8');
    assert.ok(
      !/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/.test(script),
      'DOM is built with textContent/append only',
    );
    assert.ok(!/setAttribute\(\s*['"]on/i.test(script), 'no inline event handlers');
    assert.ok(!/https?:\/\/|@import|url\(/i.test(css), 'no remote or imported styles');
  });
});
