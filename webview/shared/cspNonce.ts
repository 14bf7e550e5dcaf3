/**
 * Publishes this script's CSP nonce as <meta property="csp-nonce">, where FAST (under the webview toolkit) looks for
 * it: at load time FAST probes :focus-visible support by inserting a <style> element, which the panel's nonce-only
 * style-src would block (a CSP violation, and focus rings that show on every click). Import this module FIRST in
 * the entry file: imports run in order, and the toolkit's probe runs as soon as it is imported.
 */
const script =
  document.currentScript instanceof HTMLScriptElement
    ? document.currentScript
    : document.querySelector<HTMLScriptElement>('script[nonce]');
const nonce = script?.nonce;
if (nonce && !document.querySelector('meta[property="csp-nonce"]')) {
  const meta = document.createElement('meta');
  meta.setAttribute('property', 'csp-nonce');
  meta.setAttribute('content', nonce);
  document.head.appendChild(meta);
}

export {};
