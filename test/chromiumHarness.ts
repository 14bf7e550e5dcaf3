/**
 * The Chromium harness shared by the webview tests (accessibility, embeddingPanel, resultPanels, panelLayout): the
 * host's HTML (its CSP with a fresh nonce, the panel's stylesheets and bundle) served from 127.0.0.1, a mock of
 * acquireVsCodeApi (the boundary to the extension host), VS Code's theme variables for its four default theme kinds,
 * and the page opener. One copy, so a change to the host's page (a new stylesheet, a CSP change) reaches every test.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostToPanel } from '../src/protocol/results';
import CHROMIUM_FLAGS from './chromiumFlags.json';
import { serveHarness, type HarnessServer } from './harnessServer';

export const ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS = path.join(ROOT, 'test-results');
export const CHROMIUM = '/usr/bin/chromium';
/** Chromium's flags, one list for these tests and the code-server e2e (test/e2e/codeServer.mjs); headless here. */
export const CHROMIUM_ARGS = ['--headless', ...CHROMIUM_FLAGS];

/** What the harness page adds to window. */
declare global {
  interface Window {
    __posted: unknown[];
    __cspViolations: string[];
    /** Revives a JSON text of `encode`d data (typed arrays as base64) and posts it as the host's `data` message. */
    __deliverData(json: string): void;
    /** Revives a JSON text of `encode`d data, without posting it. */
    __prepareData(json: string): unknown;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Themes: the variables VS Code sets on <html> and the class it sets on <body>, for its four default theme kinds.

export const LIGHT: Record<string, string> = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-disabledForeground': 'rgba(97, 97, 97, 0.5)',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-editorWidget-background': '#f8f8f8',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-widget-border': '#e5e5e5',
  '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
  '--vscode-editorHoverWidget-background': '#f8f8f8',
  '--vscode-editorHoverWidget-foreground': '#3b3b3b',
  '--vscode-editorHoverWidget-border': '#c8c8c8',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-red': '#e51400',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-textLink-activeForeground': '#005fb8',
  '--vscode-list-hoverBackground': '#f2f2f2',
  '--vscode-list-activeSelectionBackground': '#e8e8e8',
  '--vscode-list-activeSelectionForeground': '#000000',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-border': 'rgba(0, 0, 0, 0.1)',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-checkbox-background': '#f8f8f8',
  '--vscode-checkbox-border': '#cecece',
  '--vscode-checkbox-foreground': '#3b3b3b',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#3b3b3b',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-dropdown-listBackground': '#ffffff',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#3b3b3b',
  '--vscode-input-border': '#cecece',
  '--vscode-input-placeholderForeground': '#767676',
  '--vscode-panelTitle-activeForeground': '#3b3b3b',
  '--vscode-panelTitle-activeBorder': '#005fb8',
  '--vscode-panelTitle-inactiveForeground': '#717171',
  '--vscode-list-activeSelectionIconForeground': '#000000',
  '--vscode-progressBar-background': '#005fb8',
  '--vscode-contrastBorder': 'transparent',
  '--vscode-contrastActiveBorder': 'transparent',
  '--vscode-inputValidation-errorBackground': '#f2dede',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-errorForeground': '#a1260d',
};

export const DARK: Record<string, string> = {
  ...LIGHT,
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-disabledForeground': 'rgba(204, 204, 204, 0.5)',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-widget-border': '#313131',
  '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
  '--vscode-editorHoverWidget-background': '#202020',
  '--vscode-editorHoverWidget-foreground': '#cccccc',
  '--vscode-editorHoverWidget-border': '#454545',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textLink-activeForeground': '#4daafc',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-activeSelectionForeground': '#ffffff',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-border': 'rgba(255, 255, 255, 0.07)',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-checkbox-background': '#313131',
  '--vscode-checkbox-border': '#3c3c3c',
  '--vscode-checkbox-foreground': '#cccccc',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-dropdown-listBackground': '#1f1f1f',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-input-placeholderForeground': '#989898',
  '--vscode-panelTitle-activeForeground': '#e7e7e7',
  '--vscode-panelTitle-activeBorder': '#0078d4',
  '--vscode-panelTitle-inactiveForeground': '#9d9d9d',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-errorForeground': '#f85149',
};

/** VS Code's "Dark High Contrast" theme: black, white text, cyan borders, orange focus. */
export const HC_DARK: Record<string, string> = {
  ...DARK,
  '--vscode-editor-background': '#000000',
  '--vscode-editor-foreground': '#ffffff',
  '--vscode-foreground': '#ffffff',
  '--vscode-descriptionForeground': '#ffffff',
  '--vscode-disabledForeground': '#a5a5a5',
  '--vscode-focusBorder': '#f38518',
  '--vscode-contrastBorder': '#6fc3df',
  '--vscode-contrastActiveBorder': '#f38518',
  '--vscode-editorWidget-background': '#0c141f',
  '--vscode-editorWidget-border': '#6fc3df',
  '--vscode-widget-border': '#6fc3df',
  '--vscode-editorHoverWidget-background': '#0c141f',
  '--vscode-editorHoverWidget-foreground': '#ffffff',
  '--vscode-editorHoverWidget-border': '#6fc3df',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-textLink-foreground': '#21a6ff',
  '--vscode-textLink-activeForeground': '#21a6ff',
  '--vscode-list-hoverBackground': '#000000',
  '--vscode-list-activeSelectionBackground': '#000000',
  '--vscode-list-activeSelectionForeground': '#ffffff',
  '--vscode-button-background': '#000000',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#000000',
  '--vscode-button-border': '#6fc3df',
  '--vscode-button-secondaryBackground': '#000000',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-button-secondaryHoverBackground': '#000000',
  '--vscode-checkbox-background': '#000000',
  '--vscode-checkbox-border': '#6fc3df',
  '--vscode-checkbox-foreground': '#ffffff',
  '--vscode-dropdown-background': '#000000',
  '--vscode-dropdown-foreground': '#ffffff',
  '--vscode-dropdown-border': '#6fc3df',
  '--vscode-dropdown-listBackground': '#000000',
  '--vscode-input-background': '#000000',
  '--vscode-input-foreground': '#ffffff',
  '--vscode-input-border': '#6fc3df',
  '--vscode-input-placeholderForeground': '#ffffffb3',
  '--vscode-panelTitle-activeForeground': '#ffffff',
  '--vscode-panelTitle-activeBorder': '#6fc3df',
  '--vscode-panelTitle-inactiveForeground': '#ffffff',
  '--vscode-inputValidation-errorBackground': '#000000',
  '--vscode-inputValidation-errorBorder': '#6fc3df',
  '--vscode-errorForeground': '#f48771',
};

/** VS Code's "Light High Contrast" theme: white, near-black text, dark blue borders. */
export const HC_LIGHT: Record<string, string> = {
  ...LIGHT,
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#292929',
  '--vscode-foreground': '#292929',
  '--vscode-descriptionForeground': '#292929',
  '--vscode-disabledForeground': '#7f7f7f',
  '--vscode-focusBorder': '#006bbd',
  '--vscode-contrastBorder': '#0f4a85',
  '--vscode-contrastActiveBorder': '#006bbd',
  '--vscode-editorWidget-background': '#ffffff',
  '--vscode-editorWidget-border': '#0f4a85',
  '--vscode-widget-border': '#0f4a85',
  '--vscode-editorHoverWidget-background': '#ffffff',
  '--vscode-editorHoverWidget-foreground': '#292929',
  '--vscode-editorHoverWidget-border': '#0f4a85',
  '--vscode-textLink-foreground': '#0f4a85',
  '--vscode-textLink-activeForeground': '#0f4a85',
  '--vscode-list-hoverBackground': '#ffffff',
  '--vscode-list-activeSelectionBackground': '#ffffff',
  '--vscode-list-activeSelectionForeground': '#000000',
  '--vscode-button-background': '#0f4a85',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-border': '#0f4a85',
  '--vscode-button-secondaryBackground': '#ffffff',
  '--vscode-button-secondaryForeground': '#292929',
  '--vscode-checkbox-background': '#ffffff',
  '--vscode-checkbox-border': '#0f4a85',
  '--vscode-checkbox-foreground': '#292929',
  '--vscode-dropdown-border': '#0f4a85',
  '--vscode-input-border': '#0f4a85',
  '--vscode-input-placeholderForeground': '#595959',
  '--vscode-panelTitle-activeForeground': '#292929',
  '--vscode-panelTitle-activeBorder': '#0f4a85',
  '--vscode-panelTitle-inactiveForeground': '#292929',
  '--vscode-inputValidation-errorBackground': '#ffffff',
  '--vscode-inputValidation-errorBorder': '#b5200d',
  '--vscode-errorForeground': '#b5200d',
};

export interface ThemeCase {
  name: string;
  vars: Record<string, string>;
  bodyClass: string;
}

export const THEMES: ThemeCase[] = [
  { name: 'light', vars: LIGHT, bodyClass: 'vscode-light' },
  { name: 'dark', vars: DARK, bodyClass: 'vscode-dark' },
  { name: 'high-contrast', vars: HC_DARK, bodyClass: 'vscode-high-contrast' },
  { name: 'high-contrast-light', vars: HC_LIGHT, bodyClass: 'vscode-high-contrast vscode-high-contrast-light' },
];

/** A theme by name. */
export function theme(name: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light'): ThemeCase {
  return THEMES.find((t) => t.name === name)!;
}

// ---------------------------------------------------------------------------------------------------------------
// The harness page.

export type Bundle = 'results' | 'embedding';

export interface MockOptions {
  /** sessionStorage key of the mock's getState / setState (kept across a reload, as VS Code keeps it across hide/show). */
  stateKey: string;
  /**
   * Posted messages are recorded as they are (`raw`), or as a JSON copy (`json`: a snapshot at posting time that
   * page.evaluate can return; byte arrays shortened to their first 8 bytes).
   */
  posted: 'raw' | 'json';
  /** Theme variables set on <html> before the bundle runs (none: the page starts unstyled). */
  theme?: Record<string, string>;
}

/** The mock VS Code API, the starting theme, CSP reports and the typed-array transport. */
export function mockScript(options: MockOptions): string {
  const copy =
    options.posted === 'json'
      ? 'JSON.parse(JSON.stringify(m, (k, v) => (v instanceof Uint8Array ? Array.from(v.subarray(0, 8)) : v)))'
      : 'm';
  return `
(() => {
  const KEY = ${JSON.stringify(options.stateKey)};
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' ' + (e.sample || '')));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(${copy}),
      getState: () => { const saved = sessionStorage.getItem(KEY); return saved ? JSON.parse(saved) : undefined; },
      setState: (state) => { sessionStorage.setItem(KEY, JSON.stringify(state)); return state; },
    };
  };
  const revive = (value) => {
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object') {
      if (value.__typed) return new globalThis[value.__typed](Uint8Array.from(atob(value.base64), (c) => c.charCodeAt(0)).buffer);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  window.__prepareData = (json) => revive(JSON.parse(json));
  window.__deliverData = (json) => window.postMessage({ type: 'data', data: window.__prepareData(json) }, '*');
  for (const [name, value] of Object.entries(${JSON.stringify(options.theme ?? {})})) document.documentElement.style.setProperty(name, value);
})();`;
}

/** The host's page for a bundle: its CSP with the nonce, the mock, base.css and the panel's stylesheet, the bundle. */
export function harnessHtml(bundle: Bundle, origin: string, nonce: string, mock: MockOptions): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RecLens ${bundle}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${origin} data: blob:; style-src ${origin} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src ${origin};">
<script nonce="${nonce}">${mockScript(mock)}</script>
<link rel="stylesheet" href="${origin}/media/base.css" nonce="${nonce}">
<link rel="stylesheet" href="${origin}/media/${bundle}.css" nonce="${nonce}">
</head><body class="vscode-light" data-vscode-theme-kind="vscode-light"><div id="app"></div><script nonce="${nonce}" src="${origin}/out/webview/${bundle}.js"></script></body></html>`;
}

/** Serves a bundle's harness page and the files it loads. */
export function serveBundle(bundle: Bundle, mock: MockOptions): Promise<HarnessServer> {
  return serveHarness(
    {
      '/media/base.css': [path.join(ROOT, 'media', 'base.css'), 'text/css'],
      [`/media/${bundle}.css`]: [path.join(ROOT, 'media', `${bundle}.css`), 'text/css'],
      [`/out/webview/${bundle}.js`]: [path.join(ROOT, 'out', 'webview', `${bundle}.js`), 'text/javascript'],
    },
    (origin, nonce) => harnessHtml(bundle, origin, nonce, mock),
  );
}

/**
 * Checks that Chromium is installed, rebuilds the webview bundles (so no test runs stale webview code; esbuild takes
 * well under a second), makes test-results/ and launches the browser.
 */
export async function launchChromium(): Promise<Browser> {
  assert.ok(
    fs.existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}: the webview tests need a real browser. Install it with: apt-get update && apt-get install -y chromium`,
  );
  execFileSync(process.execPath, [path.join(ROOT, 'webview', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  fs.mkdirSync(RESULTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// ---------------------------------------------------------------------------------------------------------------
// Pages.

/** Typed arrays cross into the page as base64 (revived there by the mock); everything else as JSON. */
export function encode(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    const typed = value as Float32Array;
    return {
      __typed: typed.constructor.name,
      base64: Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).toString('base64'),
    };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

export interface PageOptions {
  width: number;
  height: number;
  /** Collects the page's uncaught errors and console errors. */
  errors?: string[];
  /** Applied before the panel starts drawing. */
  theme?: ThemeCase;
}

/** A new page on the harness (not yet waited for: the bundle posts `ready` once it runs). */
export async function newHarnessPage(browser: Browser, server: HarnessServer, options: PageOptions): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: options.width, height: options.height },
    deviceScaleFactor: 1,
  });
  const errors = options.errors;
  if (errors) {
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  }
  await page.goto(`${server.origin}/panel.html`);
  if (options.theme) await setTheme(page, options.theme, { frames: false });
  return page;
}

/** Waits for the panel's `ready` message (the host sends its data only then). */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window.__posted as { type?: string }[]).some((m) => m.type === 'ready'));
}

/** Sends a host message once the panel is ready. */
export async function send(page: Page, message: HostToPanel): Promise<void> {
  await waitReady(page);
  await page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>);
}

/** Opens a result panel (Feature Impact, LIS, Run, History) with a host message and waits for its view. */
export async function openPanel(
  browser: Browser,
  server: HarnessServer,
  message: HostToPanel,
  options: PageOptions,
): Promise<Page> {
  const page = await newHarnessPage(browser, server, options);
  await send(page, message);
  await page.waitForSelector('.view');
  return page;
}

/** Sends the Embedding Space panel its data (typed arrays encoded) once it is ready. */
export async function deliverData(page: Page, data: unknown): Promise<void> {
  await waitReady(page);
  await page.evaluate((json) => window.__deliverData(json), JSON.stringify(encode(data)));
}

/** Two animation frames: whatever a change scheduled has been drawn. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Switches the page to a theme as VS Code does: variables on <html>, the kind's classes and data attribute on <body>. */
export async function setTheme(page: Page, theme: ThemeCase, options: { frames?: boolean } = {}): Promise<void> {
  await page.evaluate(
    ([vars, cls]) => {
      for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
      document.body.className = cls;
      document.body.dataset.vscodeThemeKind = cls.split(' ').at(-1)!;
    },
    [theme.vars, theme.bodyClass] as const,
  );
  if (options.frames === false) return;
  // Twice: the first pair lets the panel's theme observer schedule its redraw, the second lets that redraw run.
  await nextFrames(page);
  await nextFrames(page);
}

// ---------------------------------------------------------------------------------------------------------------
// The Embedding Space plot.

export interface AxisMap {
  /** page x = ax * dataX + bx, page y = ay * dataY + by */
  ax: number;
  bx: number;
  ay: number;
  by: number;
}

/** The data-to-page mapping of an Embedding Space pane's plot, recovered from its drawn axis ticks (positions and labels). */
export async function axisMap(page: Page, pane: number): Promise<AxisMap> {
  await nextFrames(page); // the plot redraws on the next animation frame after a change
  return page.evaluate((paneIndex) => {
    const plot = document.querySelectorAll('.view-pane')[paneIndex].querySelector('.plot')!;
    const box = plot.querySelector('svg.overlay')!.getBoundingClientRect();
    // d3-axis draws ticks half a pixel off at devicePixelRatio 1 for crisp lines; the points are not offset.
    const offset = window.devicePixelRatio > 1 ? 0 : 0.5;
    const fit = (selector: string, axis: 0 | 1) => {
      const ticks = Array.from(plot.querySelectorAll(`${selector} .tick`)).map((tick) => {
        const [, x, y] = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(tick.getAttribute('transform')!)!.map(Number);
        const value = Number(tick.textContent!.replace(/\u2212/g, '-').replace(/,/g, ''));
        return { at: (axis === 0 ? x : y) - offset, value };
      });
      const [first, last] = [ticks[0], ticks[ticks.length - 1]];
      const a = (last.at - first.at) / (last.value - first.value);
      return { a, b: first.at - a * first.value + (axis === 0 ? box.left : box.top) };
    };
    const x = fit('.axis-x', 0);
    const y = fit('.axis-y', 1);
    return { ax: x.a, bx: x.b, ay: y.a, by: y.b };
  }, pane);
}
