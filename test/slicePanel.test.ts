/**
 * The Run panel's slices in real Chromium: an evaluation of the planted weak-slice fixture (real engine output)
 * shows the slice table worst first with the flagged slice marked, and one calibration small multiple per slice.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { requireConfig } from '../src/engine/config/loadConfig';
import { evaluate } from '../src/engine/evaluate';
import type { RunRecord } from '../src/engine/runs/runRecord';
import type { HostToPanel } from '../src/protocol/results';
import { launchChromium, openPanel, RESULTS, ROOT, serveBundle } from './chromiumHarness';
import type { HarnessServer } from './harnessServer';

let browser: Browser;
let server: HarnessServer;
let record: RunRecord;

before(async () => {
  record = (
    await evaluate(requireConfig(path.join(ROOT, 'test', 'fixtures', 'weak_slice', 'reclens.json')).config, {
      bootstrap: 100,
      seed: 3,
      providers: ['cpu'],
    })
  ).record;
  server = await serveBundle('results', { stateKey: 'reclens.slices.mockState', posted: 'raw' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('Run panel: slices sorted worst first with the planted weak slice flagged, and calibration small multiples', async () => {
  const msg: HostToPanel = { type: 'run', data: { title: 'eval', record } };
  const page = await openPanel(browser, server, msg, { width: 1200, height: 1400 });
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
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await page.close();
});
