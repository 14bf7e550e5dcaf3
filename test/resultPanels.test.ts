/**
 * The Feature Impact, LIS and Run webviews in real Chromium (Debian's /usr/bin/chromium through playwright-core).
 * Their data is REAL engine output: ablation, ceiling, LIS, two evaluations and their comparison, run on
 * examples/planted whose truths are known (the slot `leak` dominates, `useless` has an interval around 0,
 * LIS(prefs_leak) > value, AIS(item_aligned) > AIS(item_raw)). The built bundle runs in a page with the host's
 * exact CSP and a mock acquireVsCodeApi; the checks read what is drawn and what is posted back.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  LIGHT,
  openPanel as openHarnessPanel,
  RESULTS,
  send,
  serveBundle,
  setTheme,
  theme,
} from './chromiumHarness';
import type { HarnessServer } from './harnessServer';
import { plantedPanelData } from './plantedPanels';
import { compareRuns } from '../src/engine/compare';
import type { EvalResult } from '../src/engine/evaluate';
import type { RunRecord } from '../src/engine/runs/runRecord';
import type { HostToPanel } from '../src/protocol/results';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// ---------------------------------------------------------------------------------------------------------------
// Fixtures from the engine (test/plantedPanels.ts, about 6 s on a CPU): small bootstrap and repeats, fixed seed.

// ---------------------------------------------------------------------------------------------------------------
// Harness (test/chromiumHarness.ts): the host's HTML (same CSP, nonce) served from 127.0.0.1, VS Code's theme
// variables, a mock API (state in sessionStorage, so it survives a reload as getState survives hide/show).

const startServer = () => serveBundle('results', { stateKey: 'reclens.panels.mockState', posted: 'raw', theme: LIGHT });

// ---------------------------------------------------------------------------------------------------------------
// Talking to the page.

interface Posted {
  type: string;
  /** Requests (export, compareWith): the number the host's reply names in inReplyTo. */
  messageId?: number;
  slots?: string[];
  together?: boolean;
  slot?: string;
  runId?: string;
  format?: string;
  suggestedName?: string;
  text?: string;
  /** PNG exports: the first bytes and the length (typed arrays do not cross page.evaluate as such). */
  bytesHead?: number[];
  bytesLength?: number;
}

async function posted(page: Page): Promise<Posted[]> {
  return page.evaluate((): Posted[] =>
    (window.__posted as Record<string, unknown>[]).map((raw) => {
      const { bytes, ...rest } = raw;
      const message = rest as unknown as Posted;
      return bytes instanceof Uint8Array
        ? { ...message, bytesHead: Array.from(bytes.subarray(0, 8)), bytesLength: bytes.length }
        : message;
    }),
  );
}

async function lastPosted(page: Page, type: string, count = 1): Promise<Posted> {
  await page.waitForFunction(
    ([t, n]) => (window.__posted as { type: string }[]).filter((m) => m.type === t).length >= (n as number),
    [type, count] as const,
  );
  return (await posted(page)).filter((m) => m.type === type).at(-1)!;
}

function openPanel(message: HostToPanel): Promise<Page> {
  return openHarnessPanel(browser, server, message, { width: 1200, height: 900, errors: consoleErrors });
}

/** Slot keys of the impact table's rows, in order. */
const tableSlots = (page: Page) =>
  page.locator('.impact-table tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.key!));
/** Slot keys of the impact chart's groups, top to bottom. */
const chartSlots = (page: Page) =>
  page
    .locator('.figure[data-figure$="-impact"] .bar-group')
    .evaluateAll((groups) => groups.map((g) => g.getAttribute('data-key')!));

const number = (text: string) => Number(text.replace(/\u2212/g, '-').replace(/[+,]/g, ''));

function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split(/\r\n/)
    .map((line) => line.split(','));
}

// ---------------------------------------------------------------------------------------------------------------

let browser: Browser;
let server: HarnessServer;
let fixtures: Awaited<ReturnType<typeof plantedPanelData>>;
let impactPage: Page;
const consoleErrors: string[] = [];
const cspViolations: string[] = [];

async function closePanel(page: Page): Promise<void> {
  cspViolations.push(...(await page.evaluate(() => window.__cspViolations)));
  await page.close();
}

before(async () => {
  fixtures = await plantedPanelData(60, { sweep: { window: [7, 14], minCount: [1, 2] } });
  server = await startServer();
  browser = await launchChromium();
  impactPage = await openPanel({ type: 'impact', data: fixtures.impact });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the engine fixture has the planted truths the panels are checked against', () => {
  const mask = (slot: string) => fixtures.impact.ablation!.results.find((r) => r.slot === slot && r.method === 'mask')!;
  assert.ok(mask('leak').deltaAuc > 2 * mask('strong').deltaAuc);
  const useless = mask('useless').ci!.deltaAuc;
  assert.ok(useless[0] <= 0 && useless[1] >= 0);
  const coengaged = fixtures.lis.lis!.preferences.find((p) => p.name === 'coengaged_14d')!;
  assert.ok(coengaged.lis > coengaged.value!);
  const ais = (name: string) => fixtures.lis.lis!.tables.find((t) => t.name === name)!.ais;
  assert.ok(ais('item_aligned') > ais('item_raw'));
});

// Feature Impact --------------------------------------------------------------------------------------------------

test('impact: posts ready, then draws one bar row per slot and method, each with its error bar', async () => {
  assert.deepEqual((await posted(impactPage))[0], { type: 'ready' });
  assert.equal(await impactPage.locator('h1').textContent(), fixtures.impact.title);
  const ablation = fixtures.impact.ablation!;
  const rows = await impactPage.locator('.figure[data-figure$="-impact"] .bar-row').evaluateAll((gs) =>
    gs.map((g) => ({
      key: g.getAttribute('data-key'),
      series: g.getAttribute('data-series'),
      value: Number(g.getAttribute('data-value')),
      bars: g.querySelectorAll('rect.bar').length,
      lo: Number(g.querySelector('.error-bar')?.getAttribute('data-lo')),
      hi: Number(g.querySelector('.error-bar')?.getAttribute('data-hi')),
    })),
  );
  assert.equal(rows.length, 4 * 2, 'four slots x (mask, permute)');
  for (const result of ablation.results) {
    const drawn = rows.find(
      (r) => r.key === result.slot && r.series === (result.method === 'mask' ? 'Mask' : 'Permute'),
    );
    assert.ok(drawn, `${result.slot} ${result.method} drawn`);
    assert.equal(drawn.bars, 1);
    assert.equal(drawn.value, result.deltaAuc);
    assert.deepEqual(
      [drawn.lo, drawn.hi],
      result.ci!.deltaAuc,
      `${result.slot} ${result.method}: the error bar is ci.deltaAuc`,
    );
  }
  const chart = impactPage.locator('.figure[data-figure$="-impact"] svg.chart');
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.match((await chart.getAttribute('aria-label'))!, /^Impact on AUC of 4 slots.*largest first: leak/);
});

test("impact: each slot's ceiling is drawn behind its realised (mask) bar, to scale", async () => {
  const geometry = await impactPage
    .locator('.figure[data-figure$="-impact"] .bar-row[data-series="Mask"]')
    .evaluateAll((gs) =>
      gs.map((g) => {
        const ceilingBar = g.querySelector('rect.ceiling-bar') as SVGRectElement | null;
        const bar = g.querySelector('rect.bar') as SVGRectElement;
        const children = Array.from(g.children);
        const box = (r: SVGRectElement) => ({
          x: r.x.baseVal.value,
          y: r.y.baseVal.value,
          width: r.width.baseVal.value,
          height: r.height.baseVal.value,
        });
        return {
          key: g.getAttribute('data-key')!,
          ceiling: ceilingBar ? box(ceilingBar) : null,
          ceilingValue: Number(ceilingBar?.getAttribute('data-value')),
          bar: box(bar),
          behind: !!ceilingBar && children.indexOf(ceilingBar) < children.indexOf(bar),
        };
      }),
    );
  assert.equal(geometry.length, 4);
  const scale = geometry.find((g) => g.key === 'leak')!;
  const pxPerAuc =
    scale.bar.width / fixtures.impact.ablation!.results.find((r) => r.slot === 'leak' && r.method === 'mask')!.deltaAuc;
  for (const slot of geometry) {
    const truth = fixtures.impact.ceiling!.results.find((c) => c.slot === slot.key)!;
    assert.ok(slot.ceiling, `${slot.key} has a ceiling bar`);
    assert.ok(
      slot.behind,
      `${slot.key}: the ceiling bar comes first in the row, so it is painted behind the realised bar`,
    );
    assert.equal(slot.ceilingValue, truth.ceiling);
    assert.ok(
      slot.ceiling.y <= slot.bar.y && slot.ceiling.y + slot.ceiling.height >= slot.bar.y + slot.bar.height,
      `${slot.key}: the ceiling band encloses the bar`,
    );
    assert.ok(
      Math.abs(slot.ceiling.width - truth.ceiling * pxPerAuc) < 1,
      `${slot.key}: ceiling ${truth.ceiling} drawn ${slot.ceiling.width}px at ${pxPerAuc.toFixed(1)} px per AUC`,
    );
  }
  const notes = await impactPage.locator('.figure[data-figure$="-impact"] .group-note').allTextContents();
  assert.ok(
    notes.includes(
      `${Math.round(100 * fixtures.impact.ceiling!.results.find((c) => c.slot === 'leak')!.efficiency!)}% of ceiling`,
    ),
  );
});

test('impact: sorting by impact puts leak first (chart follows the table); the interval filter hides useless', async () => {
  const page = impactPage;
  await page.locator('.impact-table th button', { hasText: 'Slot' }).click();
  assert.deepEqual(await tableSlots(page), ['item_emb', 'leak', 'strong', 'useless']);
  assert.deepEqual(await chartSlots(page), ['item_emb', 'leak', 'strong', 'useless']);
  await page.locator('.impact-table th button', { hasText: 'Mask ΔAUC' }).click();
  assert.equal(
    await page.locator('.impact-table th', { hasText: 'Mask ΔAUC' }).getAttribute('aria-sort'),
    'descending',
  );
  const sorted = await tableSlots(page);
  assert.equal(sorted[0], 'leak');
  assert.deepEqual(await chartSlots(page), sorted);

  await page.locator('vscode-checkbox', { hasText: 'Hide slots whose interval contains 0' }).click();
  await page.waitForFunction(() => !document.querySelector('.impact-table tr[data-key="useless"]'));
  assert.ok(!(await chartSlots(page)).includes('useless'), 'useless is gone from the chart');
  assert.ok((await tableSlots(page)).includes('leak'));
  assert.equal(
    await page.locator('.segment-multiple .segment-bar[data-slot="useless"]').count(),
    0,
    'and from the small multiples',
  );
  assert.match((await page.locator('.figure-note').first().textContent())!, /1 of 4 slots hidden by the filter/);
  await page.locator('vscode-checkbox', { hasText: 'Hide slots whose interval contains 0' }).click();
  await page.waitForSelector('.impact-table tr[data-key="useless"]');

  await page.locator('vscode-text-field').locator('input').fill('emb');
  await page.waitForFunction(() => document.querySelectorAll('.impact-table tbody tr').length === 1);
  assert.deepEqual(await chartSlots(page), ['item_emb']);
  await page.locator('vscode-text-field').locator('input').fill('');
  await page.waitForFunction(() => document.querySelectorAll('.impact-table tbody tr').length === 4);
});

test('impact: the metric switch draws GAUC and LogLoss impacts with their own intervals', async () => {
  const page = impactPage;
  for (const [label, delta, ci] of [
    ['GAUC', 'deltaGauc', 'deltaGauc'],
    ['LogLoss', 'deltaLogloss', 'deltaLogloss'],
  ] as const) {
    await page.locator('vscode-radio', { hasText: label }).click();
    await page.waitForFunction((l) => document.querySelector('.impact-table caption')?.textContent?.endsWith(l), label);
    const leak = fixtures.impact.ablation!.results.find((r) => r.slot === 'leak' && r.method === 'permute')!;
    const row = page.locator('.figure[data-figure$="-impact"] .bar-row[data-key="leak"][data-series="Permute"]');
    assert.equal(Number(await row.getAttribute('data-value')), leak[delta]);
    const bar = row.locator('.error-bar');
    assert.deepEqual(
      [Number(await bar.getAttribute('data-lo')), Number(await bar.getAttribute('data-hi'))],
      leak.ci![ci],
    );
    assert.equal(
      await page.locator('.bar-row .ceiling-bar').count(),
      0,
      `no ceiling on ${label} (it is an AUC quantity)`,
    );
    assert.ok(await page.locator(`.impact-table th:has-text("Permute Δ${label}")`).count());
  }
  await page.locator('vscode-radio', { hasText: 'AUC' }).first().click();
  await page.waitForFunction(() => document.querySelector('.impact-table caption')?.textContent?.endsWith('on AUC'));
  assert.equal(await page.locator('.figure[data-figure$="-impact"] .bar-row .ceiling-bar').count(), 4);
});

test('impact: segments are small multiples for both dimensions, on one shared scale', async () => {
  const segments = fixtures.impact.ablation!.segments!;
  assert.deepEqual(segments.map((s) => s.name).sort(), ['item popularity', 'user activity']);
  for (const segment of segments) {
    const cells = await impactPage
      .locator(`.segment-multiple[data-segment="${segment.name}"]`)
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-bucket')));
    assert.deepEqual(
      cells,
      segment.buckets.map((b) => b.bucket),
      `${segment.name}: one multiple per bucket`,
    );
    for (const bucket of segment.buckets) {
      const bars = impactPage.locator(
        `.segment-multiple[data-segment="${segment.name}"][data-bucket="${bucket.bucket}"] .segment-bar`,
      );
      assert.equal(await bars.count(), 8, `${segment.name}/${bucket.bucket}: 4 slots x 2 methods`);
      const leak = bucket.results.find((r) => r.slot === 'leak' && r.method === 'mask')!;
      assert.equal(
        Number(
          await impactPage
            .locator(
              `.segment-multiple[data-segment="${segment.name}"][data-bucket="${bucket.bucket}"] .segment-bar[data-slot="leak"][data-method="mask"]`,
            )
            .getAttribute('data-value'),
        ),
        leak.deltaAuc,
      );
    }
  }
  // One scale: the same value is as long in every panel.
  const perUnit = await impactPage
    .locator('.segment-bar[data-method="permute"][data-slot="leak"]')
    .evaluateAll((bars) =>
      bars.map((b) => (b as SVGRectElement).width.baseVal.value / Number(b.getAttribute('data-value'))),
    );
  assert.ok(
    Math.max(...perUnit) - Math.min(...perUnit) < 0.01 * perUnit[0],
    `px per AUC: ${perUnit.map((v) => v.toFixed(1))}`,
  );
});

test('impact: ticking slots and "Ablate as group" posts runAblation together; "Ablate each", "Run ceiling" and reveal post too', async () => {
  const page = impactPage;
  const group = page.locator('vscode-button', { hasText: 'Ablate as group' });
  assert.equal(await group.getAttribute('aria-disabled'), 'true', 'a group needs two slots');
  await page.locator('vscode-checkbox[aria-label="Select strong"]').click();
  await page.locator('vscode-checkbox[aria-label="Select leak"]').click();
  assert.equal(await group.getAttribute('aria-disabled'), 'false');
  assert.match((await page.locator('.selection-status').textContent())!, /^2 selected: leak, strong$/);
  await group.click();
  assert.deepEqual(await lastPosted(page, 'runAblation'), {
    type: 'runAblation',
    slots: ['leak', 'strong'],
    together: true,
  });
  await page.locator('vscode-button', { hasText: 'Ablate each' }).click();
  assert.deepEqual(await lastPosted(page, 'runAblation', 2), {
    type: 'runAblation',
    slots: ['leak', 'strong'],
    together: false,
  });
  await page.locator('vscode-button', { hasText: 'Run ceiling' }).click();
  assert.deepEqual(await lastPosted(page, 'runCeiling'), { type: 'runCeiling', slots: ['leak', 'strong'] });

  await page.locator('.impact-table .link-button', { hasText: 'useless' }).click();
  assert.deepEqual(await lastPosted(page, 'revealSlot'), { type: 'revealSlot', slot: 'useless' });
  await page.locator('.figure[data-figure$="-impact"] .group-label', { hasText: 'strong' }).click();
  assert.deepEqual(await lastPosted(page, 'revealSlot', 2), { type: 'revealSlot', slot: 'strong' });
});

test('impact: the table works from the keyboard (arrows between rows, Space ticks, Enter reveals)', async () => {
  const page = impactPage;
  const order = await tableSlots(page);
  await page.locator('.impact-table tbody tr').first().locator('.link-button').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(
    await page.evaluate(() => document.activeElement?.textContent),
    order[1],
    'ArrowDown moves to the same column of the next row',
  );
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), order[3]);
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page, 'revealSlot', 3), { type: 'revealSlot', slot: order[3] });
  await page.locator(`vscode-checkbox[aria-label="Select ${order[3]}"]`).focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(
    (slot) => document.querySelector('.selection-status')?.textContent?.includes(slot),
    order[3],
  );
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('.selection-status')?.textContent?.startsWith('2 selected'));
});

test('impact: exports a self-contained SVG that parses, a CSV equal to the table, and PNG bytes', async () => {
  const page = impactPage;
  const figure = page.locator('.figure[data-figure$="-impact"]');
  await figure.locator('vscode-button', { hasText: 'SVG' }).click();
  const svg = await lastPosted(page, 'export');
  assert.equal(svg.format, 'svg');
  assert.match(svg.suggestedName!, /^planted-truths-feature-impact-impact\.svg$/);
  assert.ok(!svg.text!.includes('var(--'), 'no CSS variables in the exported SVG');
  assert.ok(!/class="/.test(svg.text!), 'no classes: every colour is an attribute');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const bar = doc.querySelector('g[data-series="Mask"] rect[fill]:not([fill="none"])');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.nodeName,
      rows: doc.querySelectorAll('g[data-key].bar-row, g.bar-row, g[data-series]').length,
      fill: bar?.getAttribute('fill') ?? null,
    };
  }, svg.text!);
  assert.equal(parsed.error, null);
  assert.equal(parsed.root, 'svg');
  assert.equal(parsed.rows, 8);
  assert.match(parsed.fill!, /^(rgb|#)/, `bars carry a concrete fill (${parsed.fill})`);

  await figure.locator('vscode-button', { hasText: 'CSV' }).click();
  const csv = await lastPosted(page, 'export', 2);
  assert.equal(csv.format, 'csv');
  const [header, ...lines] = parseCsv(csv.text!);
  const table = await page
    .locator('.impact-table tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent ?? '')));
  assert.equal(lines.length, table.length, 'one CSV row per table row');
  const slotColumn = header.indexOf('slot');
  const maskColumn = header.indexOf('mask_delta_auc');
  assert.deepEqual(
    lines.map((l) => l[slotColumn]),
    await tableSlots(page),
    'same rows in the same order',
  );
  const headers = await page.locator('.impact-table thead th').allTextContents();
  const shownMask = headers.findIndex((h) => h.startsWith('Mask ΔAUC'));
  lines.forEach((line, i) => {
    const shown = number(table[i][shownMask]);
    assert.ok(
      Math.abs(Number(line[maskColumn]) - shown) <= 5e-5 + 1e-3 * Math.abs(shown),
      `${line[slotColumn]}: CSV ${line[maskColumn]} vs table ${table[i][shownMask]}`,
    );
  });

  await figure.locator('vscode-button', { hasText: 'PNG' }).click();
  const png = await lastPosted(page, 'export', 3);
  assert.equal(png.format, 'png');
  assert.deepEqual(png.bytesHead, PNG_SIGNATURE);
  assert.ok(png.bytesLength! > 5000, `${png.bytesLength} bytes`);
});

/** Sends the host's reply to a request, as ResultPanel.reply does. */
async function reply(page: Page, inReplyTo: number, ok: boolean, message: string | null): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), {
    type: 'reply',
    inReplyTo,
    ok,
    message,
  } satisfies HostToPanel as unknown as Record<string, unknown>);
}

test('impact: each export is a numbered request; the panel shows the host\'s reply ("Saved …" or the error), not replies to other numbers', async () => {
  const page = await openPanel({ type: 'impact', data: fixtures.impact });
  const figure = page.locator('.figure[data-figure$="-impact"]');
  await figure.locator('vscode-button', { hasText: 'CSV' }).click();
  const csv = await lastPosted(page, 'export');
  assert.ok(Number.isSafeInteger(csv.messageId), `messageId ${csv.messageId}`);
  assert.ok(await page.locator('.notice-line').isHidden(), 'nothing is shown before the host replies');

  await reply(page, csv.messageId! + 100, false, 'a reply to a request this panel never made');
  await reply(page, csv.messageId!, true, 'Saved reports/impact.csv');
  await page.waitForSelector('.notice-line:not([hidden])');
  assert.equal(await page.locator('.notice-line').getAttribute('role'), 'status');
  assert.equal(await page.locator('.notice-line').textContent(), 'Saved reports/impact.csv');
  assert.ok(await page.locator('.error-line').isHidden(), 'the reply to another number was ignored');

  await figure.locator('vscode-button', { hasText: 'SVG' }).click();
  const svg = await lastPosted(page, 'export', 2);
  assert.notEqual(svg.messageId, csv.messageId, 'each request has its own number');
  await reply(page, svg.messageId!, false, 'Could not save impact.svg: EACCES: permission denied');
  await page.waitForSelector('.error-line:not([hidden])');
  assert.equal(await page.locator('.error-line').textContent(), 'Could not save impact.svg: EACCES: permission denied');
  assert.ok(await page.locator('.notice-line').isHidden(), 'the error replaces the earlier notice');
  await reply(page, csv.messageId!, true, 'a second reply to an answered request');
  assert.equal(await page.locator('.error-line').textContent(), 'Could not save impact.svg: EACCES: permission denied');
  assert.ok(await page.locator('.notice-line').isHidden(), 'a request is answered once');
  await closePanel(page);
});

test('impact: light and dark screenshots; the dark theme recolours the chart', async () => {
  const page = impactPage;
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(RESULTS, 'feature-impact.png'), fullPage: true });
  await setTheme(page, theme('dark'));
  const fill = await page
    .locator('.figure[data-figure$="-impact"] rect.bar.series-0')
    .first()
    .evaluate((r) => getComputedStyle(r).fill);
  assert.equal(fill, 'rgb(140, 196, 255)', "mask bars take the dark theme's series colour (docs/accessibility.md)");
  await page.screenshot({ path: path.join(RESULTS, 'feature-impact-dark.png'), fullPage: true });
  await figure(page, 'impact').locator('vscode-button', { hasText: 'SVG' }).click();
  const svg = await lastPosted(page, 'export', 4);
  assert.match(
    svg.text!,
    /<rect width="100%" height="100%" fill="rgb\(31, 31, 31\)"/,
    'the export has the dark background',
  );
  await setTheme(page, theme('light'));
});

function figure(page: Page, suffix: string) {
  return page.locator(`.figure[data-figure$="-${suffix}"]`);
}

test('impact: sort, filter, metric and selection survive hide/show (a reload with the saved state)', async () => {
  const page = impactPage;
  await page.locator('vscode-radio', { hasText: 'LogLoss' }).click();
  await page.locator('.impact-table th button', { hasText: 'Permute ΔLogLoss' }).click();
  await page.locator('vscode-checkbox', { hasText: 'Hide slots whose interval contains 0' }).click();
  await page.waitForFunction(() => !document.querySelector('.impact-table tr[data-key="useless"]'));
  const before = await tableSlots(page);
  await page.reload();
  await send(page, { type: 'impact', data: fixtures.impact });
  await page.waitForSelector('.impact-table');
  assert.deepEqual(await tableSlots(page), before);
  assert.equal(
    await page.locator('.impact-table th', { hasText: 'Permute ΔLogLoss' }).getAttribute('aria-sort'),
    'descending',
  );
  assert.equal(
    await page.locator('vscode-radio-group').evaluate((g) => (g as HTMLElement & { value: string }).value),
    'logloss',
  );
  assert.equal(
    await page
      .locator('vscode-checkbox', { hasText: 'Hide slots whose interval contains 0' })
      .evaluate((c) => (c as HTMLElement & { checked: boolean }).checked),
    true,
  );
  assert.equal(
    await page
      .locator('vscode-checkbox[aria-label="Select leak"]')
      .evaluate((c) => (c as HTMLElement & { checked: boolean }).checked),
    true,
  );
  assert.match((await page.locator('.selection-status').textContent())!, /^2 selected: leak, strong$/);
});

test('impact: busy and error lines; with no ablation yet, an empty state whose button ablates every slot', async () => {
  const page = impactPage;
  await page.evaluate(() => window.postMessage({ type: 'busy', message: 'Ablating slots (3 of 8)…' }, '*'));
  await page.waitForSelector('.busy-line:not([hidden])');
  assert.equal(await page.locator('.busy-line').getAttribute('role'), 'status');
  assert.equal(await page.locator('.busy-line').textContent(), 'Ablating slots (3 of 8)…');
  await page.evaluate(() => window.postMessage({ type: 'busy', message: null }, '*'));
  await page.waitForSelector('.busy-line', { state: 'hidden' });
  await page.evaluate(() =>
    window.postMessage({ type: 'error', message: 'Ablation failed: model.onnx not found' }, '*'),
  );
  await page.waitForSelector('.error-line:not([hidden])');
  assert.equal(await page.locator('.error-line').getAttribute('role'), 'alert');

  await send(page, { type: 'impact', data: { ...fixtures.impact, ablation: null, ceiling: null } });
  await page.waitForSelector('.empty-state');
  await page.waitForSelector('.error-line', { state: 'hidden' });
  await page.locator('.empty-state vscode-button', { hasText: 'Run ablation on all 4 slots' }).click();
  assert.deepEqual(await lastPosted(page, 'runAblation'), {
    type: 'runAblation',
    slots: ['leak', 'strong', 'useless', 'item_emb'],
    together: false,
  }); // the first since the reload
});

// LIS -------------------------------------------------------------------------------------------------------------

test('LIS: heat-map cells carry the efficiency values, the table alternative agrees, the diagnosis is in words', async () => {
  const page = await openPanel({ type: 'lis', data: fixtures.lis });
  const result = fixtures.lis.lis!;
  const cells = await page.locator('.heat-cell').evaluateAll((gs) =>
    gs.map((g) => ({
      table: g.getAttribute('data-table')!,
      preference: g.getAttribute('data-preference')!,
      value: g.getAttribute('data-value')!,
      text: g.querySelector('.heat-value')!.textContent!,
    })),
  );
  assert.equal(cells.length, result.tables.length * result.preferences.length);
  for (const cell of cells) {
    const expected = result.tables.find((t) => t.name === cell.table)!.efficiency[cell.preference];
    assert.equal(cell.value, String(expected), `${cell.table} x ${cell.preference}`);
    assert.equal(cell.text, expected === null ? 'n/a' : expected.toFixed(2));
    const shown = await page
      .locator(`.efficiency-table tr[data-key="${cell.table}"] td[data-column="efficiency-${cell.preference}"]`)
      .textContent();
    assert.equal(shown, cell.text, 'the accessible table shows the same number');
  }
  assert.equal(await page.locator('svg.heat-map').getAttribute('role'), 'img');
  // Darker (more saturated) cells for higher efficiency.
  const fills = await page.locator('.heat-cell').evaluateAll((gs) =>
    gs.map((g) => ({
      value: Number(g.getAttribute('data-value')),
      fill: g.querySelector('rect')!.getAttribute('fill')!,
    })),
  );
  const lightness = (hex: string) =>
    parseInt(hex.slice(1, 3), 16) + parseInt(hex.slice(3, 5), 16) + parseInt(hex.slice(5, 7), 16);
  const [low, high] = [
    fills.reduce((a, b) => (a.value < b.value ? a : b)),
    fills.reduce((a, b) => (a.value > b.value ? a : b)),
  ];
  assert.ok(
    lightness(high.fill) < lightness(low.fill),
    `${high.value} ${high.fill} darker than ${low.value} ${low.fill} on a light theme`,
  );

  const sentences = await page.locator('.diagnosis-list li').allTextContents();
  assert.deepEqual(sentences, result.diagnosis);
  assert.ok(sentences.some((s) => /alignment is the bottleneck/.test(s)));

  // Gains: LIS(coengaged_14d) above its honest value; AIS(item_aligned) above AIS(item_raw).
  const width = (key: string, series: string) =>
    page
      .locator(`.figure[data-figure$="-gains"] .bar-row[data-key="${key}"][data-series="${series}"] rect.bar`)
      .evaluate((r) => (r as SVGRectElement).width.baseVal.value);
  assert.ok(
    (await width('preference:coengaged_14d', 'LIS (leaked pairs)')) >
      (await width('preference:coengaged_14d', 'Value (historical pairs)')),
  );
  assert.ok(
    (await width('table:item_aligned', 'AIS (embedding table)')) >
      (await width('table:item_raw', 'AIS (embedding table)')),
  );
  // One error bar per number with an interval: a pairs file without a historical version has no value bar.
  assert.equal(
    await page.locator('.figure[data-figure$="-gains"] .bar-row .error-bar').count(),
    result.preferences.length + result.preferences.filter((p) => p.value !== null).length + result.tables.length,
  );
  // Efficiency intervals beside the point values; the spread over splits beside the intervals.
  const aligned = result.tables.find((t) => t.name === 'item_aligned')!;
  assert.equal(
    await page
      .locator('.efficiency-table tr[data-key="item_aligned"] td[data-column="efficiency-ci-coengaged_14d"]')
      .textContent(),
    `[${aligned.efficiencyCi.coengaged_14d![0].toFixed(2)}, ${aligned.efficiencyCi.coengaged_14d![1].toFixed(2)}]`,
  );
  assert.equal(
    await page
      .locator('td[data-column="self-leak"]')
      .allTextContents()
      .then((t) => t.filter((x) => /cannot be corrected/.test(x)).length),
    2,
    'the two pairs files are flagged',
  );
  // Probe capacity: one sentence per dataset and table.
  assert.equal(await page.locator('.capacity-list li').count(), result.capacity.length);
  // Sensitivity sweep: a chart (two bars per setting) and its table, one row per (window, minimum count).
  assert.equal(await page.locator('.sweep-table tbody tr').count(), result.sweep!.length);
  assert.equal(await page.locator('.figure[data-figure$="-sweep"] .bar-row').count(), 2 * result.sweep!.length);
  assert.ok(result.sweep!.every((x) => x.preference === 'coengaged_14d'));
  assert.equal(
    await page.locator('.figure[data-figure$="-substitution"] tbody tr').count(),
    result.substitution!.length,
  );

  await figure(page, 'efficiency').locator('vscode-button', { hasText: 'SVG' }).click();
  const svg = await lastPosted(page, 'export');
  assert.ok(!svg.text!.includes('var(--'));
  await figure(page, 'efficiency').locator('vscode-button', { hasText: 'CSV' }).click();
  const [header, ...lines] = parseCsv((await lastPosted(page, 'export', 2)).text!);
  assert.deepEqual(
    lines.map((l) => l[0]),
    result.tables.map((t) => t.name),
  );
  assert.equal(Number(lines[0][header.indexOf('efficiency_prefs_leak')]), result.tables[0].efficiency.prefs_leak);

  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(RESULTS, 'lis-panel.png'), fullPage: true });
  await page.locator('vscode-button', { hasText: 'Run LIS again' }).click();
  assert.deepEqual(await lastPosted(page, 'runLis'), { type: 'runLis' });
  await send(page, { type: 'lis', data: { ...fixtures.lis, lis: null } });
  await page.locator('.empty-state vscode-button', { hasText: 'Run LIS' }).click();
  assert.equal((await posted(page)).filter((m) => m.type === 'runLis').length, 2);
  await closePanel(page);
});

// Run -------------------------------------------------------------------------------------------------------------

test('Run: an evaluation shows AUC with its interval and a calibration plot with one point per bin; the comparison has its paired interval', async () => {
  const page = await openPanel({ type: 'run', data: fixtures.run });
  const record = fixtures.run.record as RunRecord<EvalResult>;
  const comparison = fixtures.run.comparison!;
  // A new comparison opens its tab.
  assert.equal(await page.locator('vscode-panels').getAttribute('activeid'), 'tab-comparison');
  const diff = await page.locator('.comparison-table tr[data-key="auc"] td').allTextContents();
  const paired = comparison.paired!;
  assert.equal(number(diff[3]), Number(paired.diff.auc.toFixed(4)));
  assert.equal(
    diff[4],
    `[${[paired.ci!.auc[0], paired.ci!.auc[1]].map((v) => (Math.abs(v) >= 0.00005 ? v.toFixed(4) : v.toPrecision(2)).replace('-', '\u2212')).join(', ')}]`,
  );
  assert.ok(
    paired.diff.auc < 0 && paired.ci!.auc[1] < 0,
    'model B (shuffled strong columns) is worse, and the paired interval says so',
  );
  assert.equal(diff[5], 'A is better');
  const bar = page.locator('.comparison-runs ~ .figure .bar-row[data-key="auc"] .error-bar');
  assert.deepEqual(
    [Number(await bar.getAttribute('data-lo')), Number(await bar.getAttribute('data-hi'))],
    paired.ci!.auc,
  );
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(RESULTS, 'run-comparison.png'), fullPage: true });

  await page.locator('vscode-panel-tab', { hasText: 'Summary' }).click();
  await page.waitForSelector('vscode-panel-view#view-summary .metrics-table', { state: 'visible' });
  const auc = await page.locator('.metrics-table tr[data-key="AUC"] td').allTextContents();
  const result = record.results;
  assert.equal(auc[1], result.auc.toFixed(4));
  assert.equal(auc[2], `[${result.ci!.auc[0].toFixed(4)}, ${result.ci!.auc[1].toFixed(4)}]`);
  const points = await page
    .locator('.calibration-plot .calibration-point')
    .evaluateAll((cs) =>
      cs.map((c) => [Number(c.getAttribute('data-predicted')), Number(c.getAttribute('data-observed'))]),
    );
  assert.equal(points.length, result.calibration.bins.length);
  assert.deepEqual(
    points,
    result.calibration.bins.map((b) => [b.meanPrediction, b.observedRate]),
  );
  const facts = await page.locator('.facts').textContent();
  assert.match(facts!, new RegExp(`Seed${record.seed}`));
  assert.match(facts!, /Execution providercpu/);
  assert.match(facts!, /eval\.csv · 5,861 rows/);
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(RESULTS, 'run-panel.png'), fullPage: true });

  await page.locator('vscode-button', { hasText: 'Compare with…' }).click();
  const compare = await lastPosted(page, 'compareWith');
  assert.deepEqual(compare, { type: 'compareWith', messageId: compare.messageId });
  assert.ok(Number.isSafeInteger(compare.messageId));
  await reply(page, compare.messageId!, false, 'Compare Runs: this is an untrusted workspace');
  await page.waitForSelector('.error-line:not([hidden])');
  assert.equal(await page.locator('.error-line').textContent(), 'Compare Runs: this is an untrusted workspace');
  await figure(page, 'calibration').locator('vscode-button', { hasText: 'PNG' }).click();
  assert.deepEqual((await lastPosted(page, 'export')).bytesHead, PNG_SIGNATURE);

  // The tab survives hide/show.
  await page.reload();
  await send(page, { type: 'run', data: fixtures.run });
  await page.waitForSelector('vscode-panels');
  assert.equal(await page.locator('vscode-panels').getAttribute('activeid'), 'tab-summary');
  await closePanel(page);
});

test("Run: an ablation run reuses the impact view read-only; an unpaired comparison shows the engine's note", async () => {
  const record = fixtures.ablationRecord;
  const comparison = await compareRuns(record, fixtures.evalB);
  const page = await openPanel({ type: 'run', data: { title: `Run ${record.id}`, record, comparison } });
  await page.locator('vscode-panel-tab', { hasText: 'Summary' }).click();
  await page.waitForSelector('.impact-table', { state: 'visible' });
  assert.equal(await page.locator('.figure[data-figure$="-impact"] .bar-row').count(), 8);
  assert.equal(await page.locator('.impact-table vscode-checkbox').count(), 0, 'no selection in a run summary');
  assert.equal(await page.locator('vscode-button', { hasText: 'Ablate as group' }).count(), 0);
  await page.locator('vscode-panel-tab', { hasText: 'Comparison' }).click();
  assert.equal(await page.locator('.comparison-note').textContent(), comparison.note);
  assert.equal(await page.locator('.comparison-table').count(), 0);
  await closePanel(page);
});

test('nothing is blocked by the CSP and nothing is logged as an error', async () => {
  await closePanel(impactPage);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(consoleErrors, []);
});
