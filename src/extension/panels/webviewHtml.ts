/** HTML shell for RecLens webviews: strict CSP with a per-load nonce; scripts and styles only from the extension. */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../../protocol/validate';

export function nonce(): string {
  return randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  script: string,
  /** Stylesheets from media/, in cascade order (the result and embedding panels: base.css, then their own). */
  styles: readonly string[],
  title: string,
): string {
  const n = nonce();
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data: blob:; style-src ${webview.cspSource} 'nonce-${n}'; script-src 'nonce-${n}'; font-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
${styles.map((style) => `<link rel="stylesheet" href="${uri('media', style)}" nonce="${n}">`).join('\n')}
</head><body><div id="app"></div><script nonce="${n}" src="${uri('out', 'webview', script)}"></script></body></html>`;
}
