/**
 * The Rows explorer and row What-If webview in real Chromium, against a REAL host: the webview's messages go
 * through the host's guard (isRowsToHost) and the same dispatcher the extension uses (answerRowsMessage) over a
 * RowsSession of examples/movielens (CPU). Edits made in the page must show the probability the engine computes
 * for the edited row. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { requireConfig } from '../src/engine/config/loadConfig';
import { RowsSession } from '../src/engine/rows/session';
import type { RowEdit } from '../src/engine/rows/types';
import { answerRowsMessage, rowsInfo } from '../src/extension/panels/rowsDispatch';
import { HostToRows, isRowsToHost, RowsInfo } from '../src/protocol/rows';
import { launchChromium, RESULTS, ROOT } from './chromiumHarness';
import { HarnessServer, serveHarness } from './harnessServer';

const MOVIELENS = path.join(ROOT, 'examples', 'movielens', 'reclens.json');

declare global {
  interface Window {
    __toHost(m: unknown): Promise<void>;
    __cspViolations: string[];
  }
}

function harnessHtml(origin: string, nonce: string): string {
  const mock = `(() => {
  const KEY = 'reclens.rows.mockState';
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__toHost(m),
    getState: () => { const s = sessionStorage.getItem(KEY); return s ? JSON.parse(s) : undefined; },
    setState: (s) => { sessionStorage.setItem(KEY, JSON.stringify(s)); return s; },
  });
})();`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${origin} data: blob:; style-src ${origin} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src ${origin};">
<script nonce="${nonce}">${mock}</script>
<link rel="stylesheet" href="${origin}/media/rows.css" nonce="${nonce}">
</head><body><div id="app"></div><script nonce="${nonce}" src="${origin}/out/webview/rows.js"></script></body></html>`;
}

let browser: Browser;
let server: HarnessServer;
let session: RowsSession;
let info: RowsInfo;
let rejected = 0;
const errors: string[] = [];

/** A page whose host is the real dispatcher; `answer` may replace it (the 1M-row test answers pages itself). */
async function openPage(answer?: (m: any, reply: (r: HostToRows) => Promise<void>) => Promise<void>): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const reply = async (r: HostToRows) => {
    await page
      .evaluate((msg) => window.postMessage(msg, '*'), r as unknown as Record<string, unknown>)
      .catch(() => undefined);
  };
  await page.exposeFunction('__toHost', async (m: unknown) => {
    if (!isRowsToHost(m)) {
      rejected++;
      return;
    }
    if (answer) return answer(m, reply);
    if (m.type === 'ready') return reply({ type: 'init', info });
    await answerRowsMessage(session, info, m, (r) => void reply(r));
  });
  await page.goto(`${server.origin}/panel.html`);
  return page;
}

const shownProb = (page: Page) => page.locator('.whatif-score').getAttribute('data-prob').then(Number);

async function waitForProb(page: Page, notEqual: number): Promise<number> {
  await page.waitForFunction((old) => {
    const v = document.querySelector('.whatif-score')?.getAttribute('data-prob');
    return v !== null && v !== undefined && Number(v) !== old && !document.querySelector('.whatif-score.pending');
  }, notEqual);
  return shownProb(page);
}

before(async () => {
  browser = await launchChromium(); // checks Chromium is there, rebuilds the webview bundles, makes test-results/
  session = await RowsSession.open(requireConfig(MOVIELENS).config, { providers: ['cpu'], seed: 7 });
  info = await rowsInfo(session, 'Rows: MovieLens latest-small');
  server = await serveHarness(
    {
      '/media/rows.css': [path.join(ROOT, 'media', 'rows.css'), 'text/css'],
      '/out/webview/rows.js': [path.join(ROOT, 'out', 'webview', 'rows.js'), 'text/javascript'],
    },
    harnessHtml,
  );
});

after(async () => {
  await browser?.close();
  await server?.close();
  await session?.close();
});

test('the list shows the most wrong rows first, virtualised, with readable values', async () => {
  const page = await openPage();
  await page.waitForSelector('.virtual-list .row-item[data-index]');
  const worst = (await session.page({ sort: 'loss', descending: true, offset: 0, limit: 3 })).rows;
  const shown = await page
    .locator('.virtual-list .row-item[data-index]')
    .evaluateAll((els) => els.slice(0, 3).map((e) => Number((e as HTMLElement).dataset.index)));
  assert.deepEqual(
    shown,
    worst.map((r) => r.index),
  );
  assert.match(await page.locator('.virtual-list .row-item[data-index]').first().innerText(), /Other Guys/);
  const inDom = await page.locator('.virtual-list .row-item').count();
  assert.ok(inDom < 120, `only the rows in view are in the DOM (${inDom} of ${session.rows})`);
  // A slice filter and a search go to the host and narrow the list.
  await page.selectOption('.slice-select', 'auto:user=seen');
  await page.waitForFunction(() => /^1,920 of/.test(document.querySelector('.count')?.textContent ?? ''));
  await page.selectOption('.slice-select', '');
  await page.fill('.row-search', 'Toy Story');
  await page.waitForFunction(
    () =>
      /^\d+ of 20,167/.test(document.querySelector('.count')?.textContent ?? '') &&
      !/^20,167/.test(document.querySelector('.count')!.textContent!),
  );
  assert.match(await page.locator('.virtual-list .row-item[data-index]').first().innerText(), /Toy Story/);
  await page.close();
});

test('editing a slot shows the probability the engine computes for the edited row', async () => {
  const page = await openPage();
  await page.waitForSelector('.virtual-list .row-item[data-index]');
  const index = Number(await page.locator('.virtual-list .row-item[data-index]').first().getAttribute('data-index'));
  await page.locator('.virtual-list .row-item[data-index]').first().click();
  await page.waitForSelector('.whatif .waterfall');
  const original = await shownProb(page);
  assert.ok(Math.abs(original - session.probs[index]) < 1e-6);
  assert.equal(
    await page.locator('.waterfall .waterfall-step').count(),
    session.slotNames().length + 2,
    'base, one step per slot, interaction',
  );

  // 1. Type a number (numeric slot, first value).
  const edits: RowEdit[] = [{ kind: 'value', input: 'numeric', offset: 0, value: 5 }];
  await page.fill('.numeric-input[data-input="numeric"][data-offset="0"]', '5');
  await page.locator('.numeric-input[data-input="numeric"][data-offset="0"]').dispatchEvent('change');
  let p = await waitForProb(page, original);
  assert.ok(Math.abs(p - (await session.scoreEdited(index, edits)).prob) < 1e-6, `numeric edit: shown ${p}`);

  // 2. Another item for the item_id slot, found by its title.
  await page.fill('.slot-editor[data-slot="item_id"] .item-search', 'Toy Story');
  await page.waitForSelector('.slot-editor[data-slot="item_id"] .item-choice');
  const choice = await page.locator('.slot-editor[data-slot="item_id"] .item-choice').first().innerText();
  const found = session.searchItems('Toy Story')[0];
  assert.ok(choice.includes(found.label!));
  await page.locator('.slot-editor[data-slot="item_id"] .item-choice').first().click();
  edits.push({ kind: 'fromRow', slot: 'item_id', source: found.row });
  p = await waitForProb(page, p);
  assert.ok(Math.abs(p - (await session.scoreEdited(index, edits)).prob) < 1e-6, `item edit: shown ${p}`);

  // 3. Move a multi-hot position (genres).
  const box = page.locator('.slot-editor[data-slot="genres"] input[type=checkbox][data-offset="7"]');
  const was = await box.isChecked();
  await box.click();
  edits.push({ kind: 'value', input: 'genres', offset: 7, value: was ? 0 : 1 });
  p = await waitForProb(page, p);
  assert.ok(Math.abs(p - (await session.scoreEdited(index, edits)).prob) < 1e-6, `multi-hot edit: shown ${p}`);
  assert.match(await page.locator('.whatif-score').innerText(), /with 3 edits \(was/);

  // The smallest flip, from the panel.
  await page.getByRole('button', { name: 'Find smallest flip' }).click();
  await page.waitForSelector('.flip-best, .whatif-flip .note:not(:empty)');
  await page.screenshot({ path: path.join(RESULTS, 'rows-whatif-movielens.png'), fullPage: true });

  // Hide / show: the webview is recreated and comes back with the same row and edits.
  await page.reload();
  await page.waitForSelector('.whatif .waterfall');
  await page.waitForFunction(
    (want) => Math.abs(Number(document.querySelector('.whatif-score')?.getAttribute('data-prob')) - want) < 1e-6,
    p,
  );
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await page.close();
});

test('a million rows: only the rows in view are drawn; scrolling to the end asks for the last page only', async () => {
  const total = 1_000_000;
  const asked: number[] = [];
  const fake = (i: number) => ({
    index: i,
    user: String(i % 997),
    item: String(i % 389),
    itemLabel: `Item ${i % 389}`,
    historyLength: i % 50,
    label: i % 2,
    score: 0.5,
    prob: 0.5,
    loss: 1 - i / total,
    slots: [],
  });
  const page = await openPage(async (m, reply) => {
    if (m.type === 'ready') return reply({ type: 'init', info: { ...info, rows: total, slices: [] } });
    if (m.type === 'page') {
      asked.push(m.query.offset);
      const rows = [];
      for (let i = m.query.offset; i < Math.min(total, m.query.offset + m.query.limit); i++) rows.push(fake(i));
      return reply({ type: 'page', requestId: m.requestId, page: { total, offset: m.query.offset, rows } });
    }
  });
  await page.waitForSelector('.virtual-list .row-item[data-index]');
  await page.evaluate(() => {
    const l = document.querySelector('.virtual-list')!;
    l.scrollTop = l.scrollHeight;
  });
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.virtual-list .row-item[data-index]')).some(
      (e) => Number((e as HTMLElement).dataset.index) === 999_999,
    ),
  );
  assert.ok((await page.locator('.virtual-list .row-item').count()) < 120);
  assert.ok(asked.length <= 4, `pages asked: ${asked.join(', ')}`);
  assert.ok(asked.includes(999_800));
  await page.close();
});

test('the host drops malformed messages from the webview', () => {
  const before = rejected;
  for (const bad of [
    null,
    { type: 'page' },
    { type: 'score', requestId: 1, index: -1, edits: [] },
    { type: 'score', requestId: 1, index: 0, edits: [{ kind: 'value', input: 'x', offset: 0, value: 'NaN' }] },
    { type: 'saveCounterfactuals', name: 'x'.repeat(65), rows: [] },
    { type: 'page', requestId: 1, query: { sort: 'drop table', descending: true, offset: 0, limit: 10 } },
    { type: 'eval' },
  ]) {
    if (!isRowsToHost(bad)) rejected++;
  }
  assert.equal(rejected - before, 7);
  assert.deepEqual(errors, []);
});

test('links: "rows with this item" and "rows where this slot matters most" open the list filtered and sorted', async () => {
  const item = String(session.view(0).item);
  const slot = 'item_id';
  const effects = await session.slotEffects(slot);
  const page = await openPage(async (m, reply) => {
    if (m.type === 'ready')
      return reply({ type: 'init', info: { ...info, initialQuery: { item, sort: 'slot', slot, descending: true } } });
    await answerRowsMessage(session, info, m, (r) => void reply(r));
  });
  await page.waitForSelector('.virtual-list .row-item[data-index]');
  await page.waitForSelector('.item-chip');
  const shown = await page
    .locator('.virtual-list .row-item[data-index]')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.index)));
  const expected = (await session.page({ sort: 'slot', slot, descending: true, item, offset: 0, limit: 500 })).rows.map(
    (r) => r.index,
  );
  assert.deepEqual(shown.slice(0, expected.length), expected.slice(0, shown.length));
  assert.ok(
    shown.every((i) => String(session.view(i).item) === item),
    'only rows of the item',
  );
  for (let k = 1; k < expected.length; k++)
    assert.ok(effects[expected[k - 1]] >= effects[expected[k]], 'largest slot effect first');
  await page.screenshot({ path: path.join(RESULTS, 'rows-links-movielens.png') });
  await page.click('.item-chip');
  await page.waitForFunction(() => /^20,167 of/.test(document.querySelector('.count')?.textContent ?? ''));
  await page.close();
});
