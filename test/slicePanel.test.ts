/**
 * The Run panel's slices in real Chromium: an evaluation of the planted weak-slice fixture (real engine output)
 * shows the slice table worst first with the flagged slice marked, and one calibration small multiple per slice.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { requireConfig } from '../src/engine/config/loadConfig';
import { evaluate } from '../src/engine/evaluate';
import type { RunRecord } from '../src/engine/runs/runRecord';
import type { HostToPanel } from '../src/protocol/results';
import { HarnessServer, serveHarness } from './harnessServer';

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'test-results');

function harnessHtml(origin: string, nonce: string): string {
  const mock = `(() => {
  window.__posted = []; window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: (s) => s });
})();`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${origin} data: blob:; style-src ${origin} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src ${origin};">
<script nonce="${nonce}">${mock}</script>
<link rel="stylesheet" href="${origin}/media/results.css" nonce="${nonce}">
</head><body class="vscode-light"><div id="app"></div><script nonce="${nonce}" src="${origin}/out/webview/results.js"></script></body></html>`;
}

let browser: Browser;
let server: HarnessServer;
let record: RunRecord;

before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'webview', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  fs.mkdirSync(RESULTS, { recursive: true });
  record = (
    await evaluate(requireConfig(path.join(ROOT, 'test', 'fixtures', 'weak_slice', 'reclens.json')).config, {
      bootstrap: 100,
      seed: 3,
      providers: ['cpu'],
    })
  ).record;
  server = await serveHarness(
    {
      '/media/results.css': [path.join(ROOT, 'media', 'results.css'), 'text/css'],
      '/out/webview/results.js': [path.join(ROOT, 'out', 'webview', 'results.js'), 'text/javascript'],
    },
    harnessHtml,
  );
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('Run panel: slices sorted worst first with the planted weak slice flagged, and calibration small multiples', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  await page.goto(`${server.origin}/panel.html`);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
  );
  const msg: HostToPanel = { type: 'run', data: { title: 'eval', record } };
  await page.evaluate((m) => window.postMessage(m, '*'), msg as unknown as Record<string, unknown>);
  await page.waitForSelector('.slices-table tbody tr');
  const rows = await page
    .locator('.slices-table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td, th')).map((c) => c.textContent?.trim() ?? '')),
    );
  const report = (
    record.results as { slices: { slices: { name: string; flagged: boolean; delta: { auc: number | null } }[] } }
  ).slices;
  const expected = [...report.slices]
    .sort((a, b) => (a.delta.auc ?? Infinity) - (b.delta.auc ?? Infinity))
    .map((s) => s.name);
  assert.deepEqual(
    rows.map((r) => r[1]),
    expected,
  );
  assert.equal(rows[0][1], 'legacy_app');
  assert.match(rows[0][0], /below/);
  assert.equal(rows.filter((r) => /below/.test(r[0])).length, report.slices.filter((s) => s.flagged).length);
  assert.equal(await page.locator('.slice-multiples .slice-calibration').count(), report.slices.length);
  assert.equal(await page.locator('.slice-multiples .slice-calibration.flagged[data-slice="legacy_app"]').count(), 1);
  await page.screenshot({ path: path.join(RESULTS, 'run-panel-slices.png'), fullPage: true });
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), []);
  await page.close();
});
