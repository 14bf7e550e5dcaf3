/**
 * Layout checks of the result panels in real Chromium (issue 14): no table cell clipped, no two tick labels of an
 * axis overlapping (bounding boxes), at a wide and a narrow panel width; the Run panel's ROC / PR / score
 * histogram; and screenshots of every panel in the light, dark and high-contrast themes into test-results/.
 * The data is real engine output on examples/planted (seed 7).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ablate } from '../src/engine/ablation/ablate';
import { ceiling } from '../src/engine/ablation/ceiling';
import { requireConfig } from '../src/engine/config/loadConfig';
import { evaluate, type EvalResult } from '../src/engine/evaluate';
import { lis } from '../src/engine/lis/lis';
import { evalHistory, type HistoryPoint } from '../src/engine/runs/history';
import type { RunRecord } from '../src/engine/runs/runRecord';
import type { HostToPanel, RunRef } from '../src/protocol/results';
import { launchChromium, openPanel, RESULTS, ROOT, serveBundle, theme } from './chromiumHarness';
import type { HarnessServer } from './harnessServer';

const PLANTED = path.join(ROOT, 'examples', 'planted', 'reclens.json');
const SEED = 7;

/**
 * Real run records on examples/movielens (seed 7), where the clipped columns and colliding ticks were seen:
 * `reclens lis --seed 7`, `lis --sweep window=7d,30d,90d --sweep minCount=1,2 --substitution --seed 7`,
 * `ablate --seed 7`, `ceiling --seed 7`, `eval --bootstrap 100 --seed 7` (paths made relative to the repository).
 */
const MOVIELENS_RUNS = path.join(ROOT, 'test', 'fixtures', 'movielens-runs');
const MOVIELENS = path.join(ROOT, 'examples', 'movielens', 'reclens.json');

function movielensRecords(): RunRecord[] {
  return fs
    .readdirSync(MOVIELENS_RUNS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(MOVIELENS_RUNS, f), 'utf8')) as RunRecord);
}

function movielensPanels(): Record<string, HostToPanel> {
  const records = movielensRecords();
  const one = (kind: string, pick: (r: RunRecord) => boolean = () => true) =>
    records.find((r) => r.kind === kind && pick(r))!;
  const ablation = one('ablate');
  const ceil = one('ceiling');
  const lisPlain = one('lis', (r) => !(r.results as { sweep?: unknown[] }).sweep?.length);
  const lisSweep = one('lis', (r) => !!(r.results as { sweep?: unknown[] }).sweep?.length);
  const ev = one('eval');
  const raw = requireConfig(MOVIELENS).config.raw.slots as Record<string, { inputs: string[]; description?: string }>;
  const slots = Object.entries(raw).map(([name, slot]) => ({
    name,
    inputs: slot.inputs,
    description: slot.description,
  }));
  const lisMessage = (r: RunRecord) => ({
    type: 'lis',
    data: {
      title: 'LIS: MovieLens latest-small',
      configFile: MOVIELENS,
      lis: { ...(r.results as object), ...refOf(r) },
    },
  });
  return {
    'movielens-feature-impact': {
      type: 'impact',
      data: {
        title: 'Feature impact: MovieLens latest-small',
        configFile: MOVIELENS,
        slots,
        ablation: { ...(ablation.results as object), ...refOf(ablation) },
        ceiling: { ...(ceil.results as object), ...refOf(ceil) },
      },
    },
    'movielens-lis': lisMessage(lisPlain),
    'movielens-lis-sweep': lisMessage(lisSweep),
    'movielens-run-eval': { type: 'run', data: { title: `Run ${ev.id}`, record: ev } },
    'movielens-run-ablate': { type: 'run', data: { title: `Run ${ablation.id}`, record: ablation } },
    'movielens-run-lis': { type: 'run', data: { title: `Run ${lisSweep.id}`, record: lisSweep } },
  } as unknown as Record<string, HostToPanel>;
}

const refOf = (record: RunRecord): RunRef => ({
  runId: record.id,
  createdAt: record.createdAt,
  seed: record.seed,
  executionProvider: record.executionProvider,
});

let browser: Browser;
let server: HarnessServer;
let panels: Record<string, HostToPanel>;
let evalRecord: RunRecord<EvalResult>;
let history: HistoryPoint[];

before(async () => {
  const planted = () => requireConfig(PLANTED).config;
  const common = { seed: SEED, providers: ['cpu' as const] };
  const ablation = await ablate(planted(), { ...common, repeats: 2, bootstrap: 40 });
  const ceil = await ceiling(planted(), { ...common, candidates: 8 });
  const lisRun = await lis(planted(), { ...common, bootstrap: 40, substitution: true });
  const ev = await evaluate(planted(), { ...common, bootstrap: 40 });
  evalRecord = ev.record;
  // Three more evaluations for the history chart: fewer rows, another seed, no bootstrap (no interval).
  const more = [
    await evaluate(planted(), { ...common, bootstrap: 40, limit: 2000 }),
    await evaluate(planted(), { seed: 3, providers: ['cpu'], bootstrap: 40, limit: 4000 }),
    await evaluate(planted(), { ...common, limit: 3000 }),
  ];
  history = evalHistory([ablation.record, ...more.map((m) => m.record), ev.record]);
  const config = planted();
  const slots = Object.entries(config.raw.slots as Record<string, { inputs: string[]; description?: string }>).map(
    ([name, slot]) => ({ name, inputs: slot.inputs, description: slot.description }),
  );
  panels = {
    'feature-impact': {
      type: 'impact',
      data: {
        title: 'Planted truths: feature impact',
        configFile: PLANTED,
        slots,
        ablation: { ...ablation.result, ...refOf(ablation.record) },
        ceiling: { ...ceil.result, ...refOf(ceil.record) },
      },
    },
    lis: {
      type: 'lis',
      data: { title: 'Planted truths: LIS', configFile: PLANTED, lis: { ...lisRun.result, ...refOf(lisRun.record) } },
    },
    'run-eval': { type: 'run', data: { title: `Run ${ev.record.id}`, record: ev.record } },
    'run-ablate': { type: 'run', data: { title: `Run ${ablation.record.id}`, record: ablation.record } },
    'run-ceiling': { type: 'run', data: { title: `Run ${ceil.record.id}`, record: ceil.record } },
    history: { type: 'history', data: { title: 'AUC and GAUC across evaluation runs', points: history } },
    ...movielensPanels(),
  } as Record<string, HostToPanel>;
  server = await serveBundle('results', { stateKey: 'reclens.layout.mockState', posted: 'raw' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** THEMES of the harness that the screenshots are taken in. */
const SCREENSHOT_THEMES = ['light', 'dark', 'high-contrast'] as const;

async function open(
  message: HostToPanel,
  width: number,
  themeName: (typeof SCREENSHOT_THEMES)[number] = 'light',
): Promise<Page> {
  const page = await openPanel(browser, server, message, { width, height: 900, theme: theme(themeName) });
  // Show every tab's and every <details>' content so hidden tables are measured too.
  await page.evaluate(() =>
    document.querySelectorAll('details').forEach((d) => {
      (d as HTMLDetailsElement).open = true;
    }),
  );
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page;
}

/** The in-page probe shared with the code-server walk (test/e2e/tourCheck.mjs): clipped cells, overlapping ticks. */
const { layoutProbe } = require(path.join(ROOT, 'test', 'layoutProbe.js')) as {
  layoutProbe: () => { clipped: string[]; overlapping: string[]; sideways: string[] };
};

/** Table cells whose content is cut: wider than the cell, or past the edge of a box that does not scroll. */
const clippedCells = async (page: Page) => (await page.evaluate(layoutProbe)).clipped;
/** Tables wider than the box they scroll in: their right-hand columns are out of sight until scrolled to. */
const sidewaysTables = async (page: Page) => (await page.evaluate(layoutProbe)).sideways;
/** Pairs of tick labels of one chart whose boxes overlap, within one axis and across the axes of one chart. */
const overlappingTicks = async (page: Page) => (await page.evaluate(layoutProbe)).overlapping;

// 480 px is about one editor group of a split editor beside the sidebar in a 1440 px window (code-server's layout).
for (const width of [1200, 800, 640, 480]) {
  test(`layout at ${width}px: no clipped table cell and no overlapping tick labels in any result panel`, async () => {
    const problems: string[] = [];
    for (const [name, message] of Object.entries(panels)) {
      const page = await open(message, width);
      for (const tab of await page.locator('vscode-panel-tab').all()) {
        await tab.click();
        await page.evaluate(() =>
          document.querySelectorAll('details').forEach((d) => {
            (d as HTMLDetailsElement).open = true;
          }),
        );
        problems.push(
          ...(await clippedCells(page)).map((p) => `${name}: ${p}`),
          ...(await overlappingTicks(page)).map((p) => `${name}: ${p}`),
        );
      }
      problems.push(
        ...(await clippedCells(page)).map((p) => `${name}: ${p}`),
        ...(await overlappingTicks(page)).map((p) => `${name}: ${p}`),
      );
      // At a full editor's width no table hides columns behind a sideways scroll (they wrap instead); narrower, a
      // table with many columns (an efficiency pair per preference dataset) may scroll.
      if (width >= 1200) problems.push(...(await sidewaysTables(page)).map((p) => `${name}: scrolls sideways: ${p}`));
      await page.close();
    }
    assert.deepEqual([...new Set(problems)], []);
  });
}

test('the checks can fail: a cell cut by a box that does not scroll, and two ticks drawn on top of each other, are found', async () => {
  const page = await open(panels['run-eval'], 1200);
  await page.evaluate(() => {
    const wrap = document.createElement('div');
    wrap.style.cssText = 'width:60px;overflow:hidden';
    wrap.innerHTML = '<table><tr><td style="white-space:nowrap">Historical pairs only</td></tr></table>';
    document.body.append(wrap);
    const tick = document.querySelector('svg .axis .tick text')!;
    tick.parentElement!.append(tick.cloneNode(true));
  });
  assert.ok((await clippedCells(page)).some((p) => p.includes('Historical pairs only')));
  assert.ok((await overlappingTicks(page)).length > 0);
  await page.close();
});

/** Numeric table columns whose numbers (other than tiny ones written with two significant digits) differ in decimals. */
function mixedPrecision(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const table of Array.from(document.querySelectorAll('table.data-table'))) {
      const headers = Array.from(table.querySelectorAll('thead th')).map((th) => (th.textContent ?? '').trim());
      headers.forEach((header, c) => {
        const decimals = new Map<number, string>();
        for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
          const cell = row.children[c];
          if (!cell?.classList.contains('numeric')) continue;
          const numbers = cell.cloneNode(true) as HTMLElement;
          numbers.querySelectorAll('.cell-note').forEach((n) => n.remove()); // a sentence, not a number of the column
          for (const m of (numbers.textContent ?? '').matchAll(/[−+-]?\d[\d,]*(?:\.(\d+))?/g)) {
            const value = Math.abs(Number(m[0].replace(/[−,+]/g, (x) => (x === '−' ? '-' : ''))));
            if (value !== 0 && value < 0.00005) continue; // written with two significant digits on purpose
            if (!decimals.has(m[1]?.length ?? 0)) decimals.set(m[1]?.length ?? 0, m[0]);
          }
        }
        if (decimals.size > 1)
          out.push(
            `${(table.querySelector('caption')?.textContent ?? '').slice(0, 50)} / ${header}: ${[...decimals.values()].join(' vs ')}`,
          );
      });
    }
    return out;
  });
}

test('numbers: one precision per numeric table column in every panel (MovieLens and planted records)', async () => {
  const problems: string[] = [];
  for (const [name, message] of Object.entries(panels)) {
    const page = await open(message, 1200);
    for (const tab of await page.locator('vscode-panel-tab').all()) {
      await tab.click();
      problems.push(...(await mixedPrecision(page)).map((p) => `${name}: ${p}`));
    }
    problems.push(...(await mixedPrecision(page)).map((p) => `${name}: ${p}`));
    await page.close();
  }
  assert.deepEqual([...new Set(problems)], []);
});

test('the checks can fail on the MovieLens panels: the LIS table in a box that does not scroll, segment ticks in a large font', async () => {
  const lisPage = await open(panels['movielens-lis'], 480);
  assert.deepEqual(await clippedCells(lisPage), [], 'clean as drawn');
  await lisPage.evaluate(() =>
    document.querySelectorAll<HTMLElement>('.figure-body').forEach((b) => {
      b.style.overflowX = 'hidden';
    }),
  );
  const cut = await clippedCells(lisPage);
  assert.ok(
    cut.some((p) => /Historical pairs|362,250/.test(p)),
    `the wide LIS table is found cut once its box stops scrolling: ${cut.join('; ')}`,
  );
  await lisPage.close();
  const impact = await open(panels['movielens-feature-impact'], 480);
  for (const tab of await impact.locator('vscode-panel-tab').all()) await tab.click(); // the segments tab is drawn when shown
  assert.ok(
    (await impact.locator('.segment-multiple .axis .tick text').count()) > 0,
    'the MovieLens ablation has segment small multiples',
  );
  assert.deepEqual(await overlappingTicks(impact), [], 'clean as drawn');
  // The old layout's defect: the scale ran to each cell's edge, so neighbouring cells' end labels met ("0.10−0.05").
  // Moving the second cell 40 units closer to the first brings the end ticks 18 units apart (the old layout had 22);
  // the check must see labels of two axes collide.
  await impact.evaluate(() => {
    const cell = document.querySelectorAll<SVGGElement>('.segment-multiple')[1];
    const [x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(cell.getAttribute('transform')!)!.slice(1).map(Number);
    cell.setAttribute('transform', `translate(${x - 40},${y})`);
  });
  assert.ok(
    (await overlappingTicks(impact)).some((p) => /segment-multiples/.test(p)),
    'neighbouring cells whose end labels meet are found colliding',
  );
  await impact.evaluate(() =>
    document.querySelectorAll<SVGTextElement>('.segment-multiple .axis .tick text').forEach((t) => {
      t.style.fontSize = '40px';
    }),
  );
  assert.ok(
    (await overlappingTicks(impact)).some((p) => /segment-multiples/.test(p)),
    'the same ticks drawn larger are found colliding',
  );
  await impact.close();
});

test("Run panel: ROC, precision-recall and score histogram by label drawn from the record's curves", async () => {
  const page = await open(panels['run-eval'], 1200);
  const curves = evalRecord.results.curves!;
  const roc = await page.locator('svg.roc-curve polyline.curve-line').getAttribute('points');
  assert.equal(roc!.split(' ').length, curves.roc.fpr.length);
  assert.equal(
    (await page.locator('svg.pr-curve polyline.curve-line').getAttribute('points'))!.split(' ').length,
    curves.pr.recall.length,
  );
  const bars =
    (await page.locator('svg.score-histogram .hist-positive rect').count()) +
    (await page.locator('svg.score-histogram .hist-negative rect').count());
  assert.equal(
    bars,
    curves.histogram.positives.filter((c) => c > 0).length + curves.histogram.negatives.filter((c) => c > 0).length,
  );
  for (const title of [
    'False-positive rate',
    'True-positive rate (recall)',
    'Recall',
    'Precision',
    'Predicted probability',
    'Rows',
  ]) {
    assert.ok((await page.locator('svg .axis-title', { hasText: title }).count()) > 0, title);
  }
  assert.match(
    (await page.locator('.figure[data-figure$="-pr"] .figure-caption').textContent())!,
    new RegExp(`Average precision ${curves.pr.averagePrecision.toFixed(4)}`),
  );
  await page.close();
});

test('history: eval runs only, oldest first, one dot and one interval per run and metric, as in the records', async () => {
  assert.equal(history.length, 4, 'the ablation run is not an evaluation');
  assert.ok(history.every((p, i) => i === 0 || history[i - 1].createdAt <= p.createdAt));
  const page = await open(panels.history, 1200);
  const drawn = await page.locator('svg.history-chart .series-0 .history-point').evaluateAll((gs) =>
    gs.map((g) => ({
      run: g.getAttribute('data-run'),
      value: Number(g.getAttribute('data-value')),
      lo: g.querySelector('.error-bar')?.getAttribute('data-lo') ?? null,
    })),
  );
  assert.deepEqual(
    drawn.map((d) => d.run),
    history.map((p) => p.runId),
  );
  assert.deepEqual(
    drawn.map((d) => d.value),
    history.map((p) => p.auc),
  );
  assert.deepEqual(
    drawn.map((d) => (d.lo === null ? null : Number(d.lo))),
    history.map((p) => p.aucCi?.[0] ?? null),
    'an interval where the run had a bootstrap, none otherwise',
  );
  assert.equal(await page.locator('svg.history-chart .series-1 .history-point').count(), history.length, 'GAUC too');
  const rows = await page.locator('.history-table tbody tr').count();
  assert.equal(rows, history.length);
  assert.ok(await page.locator('svg.history-chart .axis-title', { hasText: 'AUC / GAUC (95% interval)' }).count());
  await page.close();
});

test('screenshots of every result panel in the light, dark and high-contrast themes', async () => {
  for (const [name, message] of Object.entries(panels)) {
    for (const themeName of SCREENSHOT_THEMES) {
      const page = await open(message, 1200, themeName);
      const file = path.join(RESULTS, `${name}-${themeName}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 10_000, file);
      await page.close();
    }
  }
});
