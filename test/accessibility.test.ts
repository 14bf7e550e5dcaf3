/**
 * Accessibility of every webview panel (Feature Impact, LIS, Run, Embedding Space) in real Chromium, in the light,
 * dark, high-contrast dark and high-contrast light themes:
 *  - axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa rules) finds no violation;
 *  - what axe cannot judge is measured here from getComputedStyle with the WCAG formula: chart marks at 3:1 against
 *    the background, heat-map numbers at 4.5:1 on their cells, mask and permute bars apart in lightness, category
 *    colours apart under simulated colour-vision deficiencies;
 *  - names and states as Chromium's own accessibility tree exposes them (CDP Accessibility domain);
 *  - every control is reached with Tab and operated with keys only, the scatter plot included (a point selected
 *    and a region made without the mouse), and focus stays on the matching control when a list is rebuilt.
 * Screenshots of focus states and of the high-contrast themes go to test-results/a11y-*.png.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  deliverData,
  launchChromium,
  LIGHT,
  newHarnessPage,
  axisMap,
  nextFrames,
  openPanel as openHarnessPanel,
  RESULTS,
  serveBundle,
  setTheme,
  THEMES,
  type ThemeCase,
} from './chromiumHarness';
import type { HarnessServer } from './harnessServer';
import { plantedPanelData } from './plantedPanels';
import { seededRandom, type Random } from '../src/engine/util/random';
import type { EmbeddingPanelData, EmbeddingView } from '../src/protocol/embedding';
import type { HostToPanel } from '../src/protocol/results';

/** The Colour by dropdown (the panel also has a Size by one). */
const COLOUR_BY = 'vscode-dropdown[aria-label="Colour points by"]';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: real engine output on examples/planted for the result panels; a seeded 6-cluster set for the scatter.

const GENRES = ['Action', 'Comedy', 'Documentary', 'Horror', 'Romance', 'Sci-Fi'];
const K = 5;

function gaussian(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** 600 items in 6 seeded clusters on a 2-D layout, kNN by brute force in that layout; a second view rotated 90 degrees. */
function embeddingFixture(n = 600, seed = 11): EmbeddingPanelData {
  const rng = seededRandom(seed);
  const codes = new Uint16Array(n);
  const coords = new Float32Array(2 * n);
  const popularity = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    codes[i] = i % GENRES.length;
    const angle = (2 * Math.PI * codes[i]) / GENRES.length;
    coords[2 * i] = 8 * Math.cos(angle) + gaussian(rng);
    coords[2 * i + 1] = 8 * Math.sin(angle) + gaussian(rng);
    popularity[i] = Math.exp(2 + gaussian(rng));
  }
  const knn = (xy: Float32Array) => {
    const indices = new Uint32Array(n * K);
    const cosines = new Float32Array(n * K);
    for (let i = 0; i < n; i++) {
      const order = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => [Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]), j] as const)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .slice(0, K);
      order.forEach(([distance, j], r) => {
        indices[i * K + r] = j;
        cosines[i * K + r] = 1 / (1 + distance);
      });
    }
    return { k: K, indices, cosines };
  };
  const ids = Array.from({ length: n }, (_, i) => `item-${String(i).padStart(4, '0')}`);
  const labels = ids.map((_, i) => `${GENRES[codes[i]]} film ${i}`);
  const metadata = [
    { name: 'genre', kind: 'category' as const, codes, dictionary: GENRES },
    { name: 'popularity', kind: 'number' as const, values: popularity },
  ];
  const viewA: EmbeddingView = {
    table: 'item_tower',
    method: 'umap',
    n,
    totalRows: n,
    ids,
    labels,
    coords,
    metadata,
    knn: knn(coords),
    seed: 7,
  };
  const rotated = Float32Array.from(coords, (_, c) => (c % 2 === 0 ? -coords[c + 1] : coords[c - 1]));
  const viewB: EmbeddingView = {
    table: 'ranker_items',
    method: 'pca',
    n,
    totalRows: n,
    ids,
    labels,
    coords: rotated,
    explainedVariance: [0.4, 0.3],
    metadata,
    knn: knn(rotated),
    seed: 7,
  };
  return { title: 'Item embeddings', views: [viewA, viewB], alignment: { k: K, jaccardAtK: 1 } };
}

// ---------------------------------------------------------------------------------------------------------------
// Harness pages (test/chromiumHarness.ts): the hosts' CSP with a nonce, a mock acquireVsCodeApi, the light theme
// to start with.

type PostedMessage = { type: string; [key: string]: unknown };
/** What axe-core adds to window once injected. */
interface HarnessWindow {
  axe: {
    run(
      context: unknown,
      options: unknown,
    ): Promise<{
      violations: {
        id: string;
        impact: string;
        help: string;
        nodes: { target: unknown[]; failureSummary?: string }[];
      }[];
    }>;
  };
}

let browser: Browser;
let panelsServer: HarnessServer;
let embeddingServer: HarnessServer;
let fixtures: Awaited<ReturnType<typeof plantedPanelData>>;
const embedding = embeddingFixture();
const pageErrors: string[] = [];
/** The harness as in the other webview tests; posted messages kept as JSON copies (byte arrays shortened). */
const MOCK = { posted: 'json', theme: LIGHT } as const;
const PAGE = { width: 1300, height: 950, errors: pageErrors };

before(async () => {
  fixtures = await plantedPanelData(40);
  panelsServer = await serveBundle('results', { ...MOCK, stateKey: 'reclens.a11y.results' });
  embeddingServer = await serveBundle('embedding', { ...MOCK, stateKey: 'reclens.a11y.embedding' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await panelsServer?.close();
  await embeddingServer?.close();
});

function openPanel(message: HostToPanel): Promise<Page> {
  return openHarnessPanel(browser, panelsServer, message, PAGE);
}

async function openEmbedding(): Promise<Page> {
  const page = await newHarnessPage(browser, embeddingServer, PAGE);
  await deliverData(page, embedding);
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('.view-pane canvas')).filter(
        (c) => Number(c.dataset.frames) > 0,
      ).length === 2,
  );
  return page;
}

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: HarnessWindow['axe'] }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  );
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} -- ${v.nodes
        .slice(0, 4)
        .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
        .join(' | ')}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Colour maths in the page: the WCAG formula on colours read from getComputedStyle, composited over the background.

/** Installs window.__contrast helpers in the page (kept as a string so the page needs no bundle of ours). */
const CONTRAST_HELPERS = `
window.__colour = {
  parse(text) {
    const m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/.exec(text || '');
    if (!m) return null;
    return { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] };
  },
  over(c, bg, alpha) {
    const a = c.a * alpha;
    return { r: c.r * a + bg.r * (1 - a), g: c.g * a + bg.g * (1 - a), b: c.b * a + bg.b * (1 - a), a: 1 };
  },
  luminance(c) {
    const f = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  },
  ratio(a, b) {
    const [x, y] = [this.luminance(a), this.luminance(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  },
  background() { return this.parse(getComputedStyle(document.body).backgroundColor); },
  /** A mark's paint (fill or stroke) with its own and its opacity, composited over the page background. */
  paint(el, property) {
    const style = getComputedStyle(el);
    const colour = this.parse(style[property]);
    if (!colour) return null;
    const alpha = Number(style[property + 'Opacity'] ?? 1) * Number(style.opacity ?? 1);
    return this.over(colour, this.background(), alpha);
  },
};`;

interface MarkContrast {
  selector: string;
  property: 'fill' | 'stroke';
  ratio: number;
  count: number;
}

/** The lowest contrast against the background among the marks matching each selector. */
async function markContrasts(
  page: Page,
  marks: { selector: string; property: 'fill' | 'stroke' }[],
): Promise<MarkContrast[]> {
  await page.evaluate(CONTRAST_HELPERS);
  return page.evaluate((list) => {
    const c = (
      window as unknown as {
        __colour: {
          paint(el: Element, p: string): object | null;
          ratio(a: object, b: object): number;
          background(): object;
        };
      }
    ).__colour;
    return list.map(({ selector, property }) => {
      const ratios = Array.from(document.querySelectorAll(selector))
        .filter(
          (el) => (el as SVGGraphicsElement).getBBox?.().width > 0 || (el as SVGGraphicsElement).getBBox?.().height > 0,
        )
        .map((el) => c.paint(el, property))
        .filter((p): p is object => p !== null)
        .map((p) => c.ratio(p, c.background()));
      return { selector, property, ratio: ratios.length ? Math.min(...ratios) : NaN, count: ratios.length };
    });
  }, marks);
}

// ---------------------------------------------------------------------------------------------------------------
// Keyboard: Tab through the page, recording every control that gets focus.

const CONTROLS =
  'button, summary, a[href], [tabindex="0"], vscode-button, vscode-checkbox, vscode-text-field, vscode-dropdown, vscode-radio, vscode-panel-tab';

/** Tags every visible, enabled control with data-a11y; Tabs until focus comes back round; returns [all, reached]. */
async function tabThrough(page: Page): Promise<{ all: string[]; reached: string[]; unreached: string[] }> {
  const all = await page.evaluate((selector) => {
    const controls = Array.from(document.querySelectorAll<HTMLElement>(selector)).filter((el) => {
      if (
        el.closest('[hidden], [aria-hidden="true"]') ||
        el.hasAttribute('disabled') ||
        el.getAttribute('aria-disabled') === 'true'
      )
        return false;
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
    return controls.map((el, i) => {
      el.dataset.a11y = String(i);
      const name =
        el.getAttribute('aria-label') || el.dataset.focusKey || el.textContent?.trim().slice(0, 40) || el.tagName;
      return `${el.tagName.toLowerCase()}:${name}#${i}`;
    });
  }, CONTROLS);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const reached = new Set<string>();
  let first: string | undefined;
  for (let step = 0; step < 400; step++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(
      () => (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-a11y]')?.dataset.a11y ?? null,
    );
    if (id === null) continue;
    if (id === first) break;
    first ??= id;
    reached.add(id);
  }
  const byId = new Map(all.map((label) => [label.split('#').at(-1)!, label]));
  const reachedLabels = [...reached].map((id) => byId.get(id)!);
  return { all, reached: reachedLabels, unreached: all.filter((label) => !reached.has(label.split('#').at(-1)!)) };
}

/** Controls that legitimately take no Tab stop of their own: roving members (other radios, other tabs, other table rows). */
function roving(label: string): boolean {
  return /^(vscode-radio|vscode-panel-tab|tr):/.test(label);
}

/** Chromium's own accessibility tree (CDP), flattened to role and name. */
async function accessibilityTree(
  page: Page,
): Promise<{ role: string; name: string; pressed?: string; selected?: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: {
      ignored: boolean;
      role?: { value: string };
      name?: { value: string };
      properties?: { name: string; value: { value: unknown } }[];
    }[];
  };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored)
    .map((n) => {
      const property = (name: string) => n.properties?.find((p) => p.name === name)?.value.value;
      return {
        role: n.role?.value ?? '',
        name: String(n.name?.value ?? ''),
        pressed: property('pressed') as string | undefined,
        selected: property('selected') === undefined ? undefined : String(property('selected')),
      };
    });
}

const activeInfo = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      key: el?.dataset.focusKey ?? '',
      text: el?.textContent?.trim() ?? '',
      pressed: el?.getAttribute('aria-pressed') ?? '',
    };
  });

const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: PostedMessage[] }).__posted);

async function waitPosted(page: Page, type: string, count: number): Promise<PostedMessage> {
  await page.waitForFunction(
    ([t, n]) =>
      (window as unknown as { __posted: PostedMessage[] }).__posted.filter((m) => m.type === t).length >= (n as number),
    [type, count] as const,
  );
  return (await posted(page)).filter((m) => m.type === type).at(-1)!;
}

// ---------------------------------------------------------------------------------------------------------------
// axe-core and measured contrast, every panel, every theme.

const BAR_MARKS: { selector: string; property: 'fill' | 'stroke' }[] = [
  { selector: '.chart rect.bar', property: 'fill' },
  { selector: '.chart .underlay-bar', property: 'stroke' },
  { selector: '.chart .error-bar line', property: 'stroke' },
  { selector: '.chart .zero-line', property: 'stroke' },
  { selector: '.chart .calibration-line', property: 'stroke' },
  { selector: '.chart .calibration-point', property: 'fill' },
  { selector: '.chart .heat-fill', property: 'stroke' },
  { selector: '.chart .heat-missing', property: 'stroke' },
];

/** Measured minimums, printed at the end of the run (docs/accessibility.md quotes them). */
const measurements: string[] = [];
after(() => console.log(measurements.join('\n')));

async function checkResultPanel(page: Page, label: string, theme: ThemeCase): Promise<void> {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${label} (${theme.name}): axe violations`);
  const marks = await markContrasts(page, BAR_MARKS);
  for (const mark of marks.filter((m) => m.count > 0))
    assert.ok(
      mark.ratio >= 3,
      `${label} (${theme.name}): ${mark.selector} ${mark.property} at ${mark.ratio.toFixed(2)}:1 against the background, under 3:1`,
    );
  // Mask vs permute (LIS vs value, ...): series 0 and series 1 differ in lightness, not only in hue.
  const series = await page.evaluate(() => {
    const c = (
      window as unknown as {
        __colour: { paint(el: Element, p: string): object | null; ratio(a: object, b: object): number };
      }
    ).__colour;
    const first = (s: number) => document.querySelector(`.chart rect.bar.series-${s}`);
    const [a, b] = [first(0), first(1)];
    return a && b ? c.ratio(c.paint(a, 'fill')!, c.paint(b, 'fill')!) : null;
  });
  if (series !== null)
    assert.ok(
      series >= 2,
      `${label} (${theme.name}): series 0 and 1 differ in luminance by ${series.toFixed(2)}:1, under 2:1`,
    );
  measurements.push(
    `${label} (${theme.name}): ${marks
      .filter((m) => m.count > 0)
      .map((m) => `${m.selector} ${m.property} min ${m.ratio.toFixed(2)}:1 (${m.count})`)
      .join('; ')}${series === null ? '' : `; series 0 vs 1 ${series.toFixed(2)}:1`}`,
  );
}

test('Feature Impact: no axe violation and chart marks at 3:1 in light, dark and both high-contrast themes', async () => {
  const page = await openPanel({ type: 'impact', data: fixtures.impact });
  let measured = 0;
  for (const theme of THEMES) {
    await setTheme(page, theme);
    await checkResultPanel(page, 'Feature Impact', theme);
    measured += (await markContrasts(page, BAR_MARKS)).reduce((s, m) => s + m.count, 0);
    if (theme.name.startsWith('high-contrast'))
      await page.screenshot({ path: path.join(RESULTS, `a11y-feature-impact-${theme.name}.png`), fullPage: true });
  }
  assert.ok(measured > 4 * 16, `${measured} marks measured`);
  await page.close();
});

test('LIS: no axe violation; every heat-map number reaches 4.5:1 on its own cell (the stylesheet no longer overrides it)', async () => {
  const page = await openPanel({ type: 'lis', data: fixtures.lis });
  for (const theme of THEMES) {
    await setTheme(page, theme);
    await checkResultPanel(page, 'LIS', theme);
    const cells = await page.evaluate(() => {
      const c = (window as unknown as { __colour: { parse(t: string): object; ratio(a: object, b: object): number } })
        .__colour;
      return Array.from(document.querySelectorAll('.heat-cell'))
        .filter((g) => g.querySelector('rect.heat-fill'))
        .map((g) => {
          const text = g.querySelector('.heat-value')!;
          return {
            value: text.textContent!,
            attribute: text.getAttribute('fill'),
            drawn: getComputedStyle(text).fill,
            ratio: c.ratio(
              c.parse(getComputedStyle(text).fill),
              c.parse(getComputedStyle(g.querySelector('rect')!).fill),
            ),
          };
        });
    });
    assert.ok(cells.length >= 4, `${cells.length} filled cells`);
    measurements.push(
      `LIS heat map (${theme.name}): weakest number ${Math.min(...cells.map((c) => c.ratio)).toFixed(2)}:1 on its cell (${cells.length} cells)`,
    );
    for (const cell of cells) {
      assert.equal(
        cell.drawn,
        rgbOf(cell.attribute!),
        `the number ${cell.value} is drawn in its own colour ${cell.attribute}, not the stylesheet's`,
      );
      assert.ok(cell.ratio >= 4.5, `${theme.name}: "${cell.value}" at ${cell.ratio.toFixed(2)}:1 on its cell`);
    }
    if (theme.name.startsWith('high-contrast'))
      await page.screenshot({ path: path.join(RESULTS, `a11y-lis-${theme.name}.png`), fullPage: true });
  }
  // The whole colour ramp: 26 tables whose efficiencies run from 0 to 1.25 in steps of 0.05, in every theme.
  const lisResult = fixtures.lis.lis!;
  const ramp = Array.from({ length: 26 }, (_, i) => ({
    ...lisResult.tables[0],
    name: `ramp_${i}`,
    efficiency: Object.fromEntries(lisResult.preferences.map((p) => [p.name, i * 0.05])),
  }));
  await page.evaluate((m) => window.postMessage(m, '*'), {
    type: 'lis',
    data: { ...fixtures.lis, lis: { ...lisResult, tables: ramp } },
  } as unknown as Record<string, unknown>);
  await page.waitForSelector('.heat-cell[data-table="ramp_25"]');
  for (const theme of THEMES) {
    await setTheme(page, theme);
    const ratios = await page.evaluate(() => {
      const c = (window as unknown as { __colour: { parse(t: string): object; ratio(a: object, b: object): number } })
        .__colour;
      return Array.from(document.querySelectorAll('.heat-cell')).map((g) =>
        c.ratio(
          c.parse(getComputedStyle(g.querySelector('.heat-value')!).fill),
          c.parse(getComputedStyle(g.querySelector('rect')!).fill),
        ),
      );
    });
    assert.equal(ratios.length, 26 * lisResult.preferences.length);
    assert.ok(
      Math.min(...ratios) >= 4.5,
      `${theme.name}: the weakest number on the 0..1.25 ramp is ${Math.min(...ratios).toFixed(2)}:1`,
    );
    measurements.push(
      `LIS heat map ramp 0..1.25 (${theme.name}): weakest number ${Math.min(...ratios).toFixed(2)}:1 on its cell`,
    );
  }
  await page.close();
});

function rgbOf(hex: string): string {
  const v = hex.replace('#', '');
  return `rgb(${parseInt(v.slice(0, 2), 16)}, ${parseInt(v.slice(2, 4), 16)}, ${parseInt(v.slice(4, 6), 16)})`;
}

test("Run: no axe violation on either tab in any theme; the tab list is named in Chromium's accessibility tree", async () => {
  const page = await openPanel({ type: 'run', data: fixtures.run });
  for (const theme of THEMES) {
    await setTheme(page, theme);
    for (const tab of ['Summary', 'Comparison']) {
      await page.locator('vscode-panel-tab', { hasText: tab }).click();
      await page.waitForSelector(`vscode-panel-view#view-${tab.toLowerCase()}:not([hidden])`);
      await checkResultPanel(page, `Run ${tab}`, theme);
    }
    if (theme.name.startsWith('high-contrast'))
      await page.screenshot({ path: path.join(RESULTS, `a11y-run-${theme.name}.png`), fullPage: true });
  }
  const tree = await accessibilityTree(page);
  assert.ok(
    tree.some((n) => n.role === 'tablist' && n.name === 'Run views'),
    `tab lists: ${JSON.stringify(tree.filter((n) => n.role === 'tablist'))}`,
  );
  await page.close();
});

/** Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, applied to linear RGB. */
const CVD: Record<string, number[][]> = {
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function parseRgb(text: string): [number, number, number] {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(text);
  assert.ok(m, `a colour: ${text}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** CIELAB (D65) of an sRGB colour given as linear RGB. */
function lab(linear: number[]): [number, number, number] {
  const [r, g, b] = linear.map((v) => Math.min(1, Math.max(0, v)));
  const xyz = [
    0.4124 * r + 0.3576 * g + 0.1805 * b,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    0.0193 * r + 0.1192 * g + 0.9505 * b,
  ];
  const white = [0.95047, 1, 1.08883];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (841 / 108) * t + 4 / 29);
  const [fx, fy, fz] = xyz.map((v, i) => f(v / white[i]));
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

const toLinear = (rgb: [number, number, number]) =>
  rgb.map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));

/** The smallest CIELAB distance between any two colours, for normal vision and each simulated deficiency. */
function minimumDistances(colours: [number, number, number][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [vision, matrix] of [
    [
      'normal',
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    ],
    ...Object.entries(CVD),
  ] as [string, number[][]][]) {
    const seen = colours.map((c) => {
      const linear = toLinear(c);
      return lab(matrix.map((row) => row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2]));
    });
    let min = Infinity;
    for (let i = 0; i < seen.length; i++)
      for (let j = i + 1; j < seen.length; j++)
        min = Math.min(min, Math.hypot(seen[i][0] - seen[j][0], seen[i][1] - seen[j][1], seen[i][2] - seen[j][2]));
    out[vision] = min;
  }
  return out;
}

test('Embedding: no axe violation; category colours reach 3:1 and stay apart under colour-blindness; the numeric scale is trimmed to 3:1', async () => {
  const page = await openEmbedding();
  const report: string[] = [];
  for (const theme of THEMES) {
    await setTheme(page, theme);
    await page.waitForFunction((bg) => {
      const canvas = document.querySelector<HTMLCanvasElement>('.view-pane canvas')!;
      const [r, g, b] = canvas.getContext('2d')!.getImageData(1, 1, 1, 1).data;
      return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}` === bg;
    }, theme.vars['--vscode-editor-background']);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `Embedding (${theme.name}): axe violations`);
    const background = parseRgb(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    const swatches = (
      await page
        .locator('.legend .legend-entry .swatch')
        .evaluateAll((spans) => spans.map((s) => getComputedStyle(s).backgroundColor))
    ).map(parseRgb);
    assert.equal(swatches.length, GENRES.length);
    const lum = (c: [number, number, number]) => {
      const [r, g, b] = toLinear(c);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: [number, number, number], b: [number, number, number]) =>
      (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    for (const [i, colour] of swatches.entries())
      assert.ok(
        ratio(colour, background) >= 3,
        `${theme.name}: ${GENRES[i]} at ${ratio(colour, background).toFixed(2)}:1`,
      );
    const distances = minimumDistances(swatches);
    for (const [vision, distance] of Object.entries(distances))
      assert.ok(
        distance >= 10,
        `${theme.name}, ${vision}: two categories only ${distance.toFixed(1)} CIELAB units apart`,
      );
    report.push(
      `${theme.name}: min contrast ${Math.min(...swatches.map((c) => ratio(c, background))).toFixed(2)}:1, min distance ${Object.entries(
        distances,
      )
        .map(([v, d]) => `${v} ${d.toFixed(1)}`)
        .join(', ')}`,
    );
    if (theme.name.startsWith('high-contrast'))
      await page.screenshot({ path: path.join(RESULTS, `a11y-embedding-${theme.name}.png`), fullPage: true });
  }
  // The numeric scale: every colour of its gradient reaches 3:1 against the background (light and dark ends trimmed).
  for (const theme of [THEMES[0], THEMES[1]]) {
    await setTheme(page, theme);
    await page.locator(COLOUR_BY).click();
    await page.locator(`${COLOUR_BY} vscode-option`, { hasText: 'popularity' }).click();
    await page.waitForSelector('.legend-numeric stop', { state: 'attached' });
    const stops = (
      await page.locator('.legend-numeric stop').evaluateAll((s) => s.map((stop) => getComputedStyle(stop).stopColor))
    ).map(parseRgb);
    const background = parseRgb(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    const lum = (c: [number, number, number]) => {
      const [r, g, b] = toLinear(c);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const worst = Math.min(
      ...stops.map((c) => (Math.max(lum(c), lum(background)) + 0.05) / (Math.min(lum(c), lum(background)) + 0.05)),
    );
    assert.ok(worst >= 3, `${theme.name}: the numeric scale's weakest colour is ${worst.toFixed(2)}:1`);
    report.push(`${theme.name} numeric scale: weakest ${worst.toFixed(2)}:1`);
    assert.deepEqual(await axeViolations(page), [], `Embedding coloured by a number (${theme.name}): axe violations`);
    await page.locator(COLOUR_BY).click();
    await page.locator(`${COLOUR_BY} vscode-option`, { hasText: 'genre' }).click();
    await page.waitForSelector('.legend .legend-entry');
  }
  measurements.push(...report.map((line) => `Embedding categories ${line}`));
  await page.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Names and states in Chromium's accessibility tree.

test('names: the text fields are named by their labels, Lasso exposes aria-pressed, every Open button names its item', async () => {
  const impact = await openPanel({ type: 'impact', data: fixtures.impact });
  const impactTree = await accessibilityTree(impact);
  const impactBoxes = impactTree.filter((n) => n.role === 'textbox');
  assert.deepEqual(
    impactBoxes.map((n) => n.name),
    ['Filter slots by name'],
    'the filter is not "Text field"',
  );
  await impact.close();

  const page = await openEmbedding();
  let tree = await accessibilityTree(page);
  assert.deepEqual(
    tree.filter((n) => n.role === 'textbox').map((n) => n.name),
    ['Search by id or label'],
  );
  /** Lasso's pressed state in Chromium's tree, once it reads `wanted` (a key press is handled asynchronously). */
  const lassoPressed = async (wanted: string) => {
    let seen: string | undefined;
    for (let attempt = 0; attempt < 50 && seen !== wanted; attempt++) {
      if (attempt) await nextFrames(page);
      seen = (await accessibilityTree(page)).find((n) => n.role === 'button' && n.name === 'Lasso')?.pressed;
    }
    return seen;
  };
  assert.equal(await lassoPressed('false'), 'false', 'the inner button carries aria-pressed');
  await page.locator('vscode-button', { hasText: 'Lasso' }).focus();
  await page.keyboard.press('Space');
  assert.equal(await lassoPressed('true'), 'true', 'pressing Lasso is announced');
  await page.keyboard.press('Space');
  assert.equal(await lassoPressed('false'), 'false');

  // Select a point by keyboard (the scatter test below covers how); here: its neighbour table's buttons.
  await page.locator('.view-pane').first().locator('.plot').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.view-pane table.neighbours');
  tree = await accessibilityTree(page);
  const ids = await page
    .locator('.view-pane')
    .first()
    .locator('table.neighbours tbody tr')
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id!));
  assert.equal(ids.length, K);
  for (const id of ids)
    assert.ok(
      tree.some((n) => n.role === 'button' && n.name === `Open ${id}`),
      `a button named "Open ${id}"`,
    );
  assert.equal(
    tree.filter((n) => n.role === 'button' && n.name === 'Open').length,
    0,
    'no button is named just "Open"',
  );
  // Axis ticks are hidden; the summary is there instead.
  const ticks = await page.locator('.view-pane .axis .tick text').allTextContents();
  assert.ok(
    ticks.some((t) => t.startsWith('\u2212')),
    `negative ticks drawn: ${ticks.join(' ')}`,
  );
  assert.deepEqual(
    tree
      .filter((n) => n.role === 'StaticText' && (n.name.startsWith('\u2212') || n.name === 'UMAP 1'))
      .map((n) => n.name),
    [],
    'no tick label or axis title in the tree',
  );
  await page.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Keyboard only.

test('keyboard: Feature Impact, every control reached with Tab and operated with keys', async () => {
  const page = await openPanel({ type: 'impact', data: fixtures.impact });
  const { all, unreached } = await tabThrough(page);
  assert.ok(all.length > 20, `${all.length} controls`);
  assert.deepEqual(
    unreached.filter((label) => !roving(label)),
    [],
    'controls Tab never reaches',
  );

  // The filter: type into it.
  await page.locator('vscode-text-field').focus();
  await page.keyboard.type('emb');
  await page.waitForFunction(() => document.querySelectorAll('.impact-table tbody tr').length === 1);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelectorAll('.impact-table tbody tr').length === 4);
  // The checkbox: Space.
  await page.locator('vscode-checkbox', { hasText: 'Hide slots whose interval contains 0' }).focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !document.querySelector('.impact-table tr[data-key="useless"]'));
  await page.keyboard.press('Space');
  await page.waitForSelector('.impact-table tr[data-key="useless"]');
  // The metric: arrow keys in the radio group.
  await page.locator('vscode-checkbox', { hasText: 'Hide slots whose interval contains 0' }).focus();
  await page.keyboard.press('Tab');
  assert.equal((await activeInfo(page)).tag, 'vscode-radio', 'Tab goes on to the metric');
  // Inside a toolbar the toolkit's radio group moves focus with the arrows and checks with Space (toolbar pattern).
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => /GAUC$/.test(document.querySelector('.impact-table caption')?.textContent ?? ''));
  await page.locator('vscode-radio[aria-checked="true"]').focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => /on AUC$/.test(document.querySelector('.impact-table caption')?.textContent ?? ''));
  // A sort button: Enter, and focus stays on it after the table is rebuilt.
  await page.locator('.impact-table th .sort-button', { hasText: 'Slot' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() =>
    document
      .querySelector('.impact-table th[aria-sort="ascending"], .impact-table th[aria-sort="descending"]')
      ?.textContent?.startsWith('Slot'),
  );
  assert.match((await activeInfo(page)).text, /^Slot/, 'focus is still on the Slot sort button');
  // Row selection with Space, then the action buttons with Enter. The sort just rebuilt the table: wait until its
  // new checkboxes are live custom elements (a person cannot press a key within milliseconds of a rebuild).
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('vscode-checkbox[aria-label^="Select "]')).every(
      (e) => (e as unknown as { $fastController?: { isConnected: boolean } }).$fastController?.isConnected,
    ),
  );
  for (const slot of ['leak', 'strong']) {
    await page.locator(`vscode-checkbox[aria-label="Select ${slot}"]`).focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(
      (s) =>
        document.querySelector(`vscode-checkbox[aria-label="Select ${s}"]`)?.getAttribute('aria-checked') === 'true',
      slot,
    );
  }
  await page.locator('vscode-button', { hasText: 'Ablate as group' }).focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await waitPosted(page, 'runAblation', 1), {
    type: 'runAblation',
    slots: ['leak', 'strong'],
    together: true,
  });
  await page.locator('vscode-button', { hasText: 'Run ceiling' }).focus();
  await page.keyboard.press('Space');
  assert.equal((await waitPosted(page, 'runCeiling', 1)).type, 'runCeiling');
  // A slot link: Enter reveals it; an export button: Enter exports; a details summary: Enter opens.
  await page.locator('.impact-table .link-button', { hasText: 'useless' }).focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await waitPosted(page, 'revealSlot', 1), { type: 'revealSlot', slot: 'useless' });
  await page.locator('.figure[data-figure$="-impact"] vscode-button', { hasText: 'CSV' }).focus();
  await page.keyboard.press('Enter');
  assert.equal((await waitPosted(page, 'export', 1)).format, 'csv');
  const details = page.locator('details.table-details').first();
  await details.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), true);
  await page.locator('.impact-table .sort-button').first().focus();
  await page.screenshot({ path: path.join(RESULTS, 'a11y-focus-feature-impact.png'), fullPage: true });
  await page.close();
});

test('keyboard: LIS and Run, every control reached with Tab; tabs switch with arrow keys; buttons work with Enter', async () => {
  const lisPage = await openPanel({ type: 'lis', data: fixtures.lis });
  const first = await tabThrough(lisPage);
  const all = first.all;
  let unreached = first.unreached;
  assert.ok(all.length >= 7, `${all.length} controls`);
  assert.deepEqual(
    unreached.filter((label) => !roving(label)),
    [],
  );
  await lisPage.locator('vscode-button', { hasText: 'Run LIS again' }).focus();
  await lisPage.keyboard.press('Enter');
  assert.deepEqual(await waitPosted(lisPage, 'runLis', 1), { type: 'runLis' });
  await lisPage.locator('.figure[data-figure$="-efficiency"] vscode-button', { hasText: 'SVG' }).focus();
  await lisPage.keyboard.press('Enter');
  assert.equal((await waitPosted(lisPage, 'export', 1)).format, 'svg');
  await lisPage.screenshot({ path: path.join(RESULTS, 'a11y-focus-lis.png'), fullPage: true });
  await lisPage.close();

  const page = await openPanel({ type: 'run', data: fixtures.run });
  ({ unreached } = await tabThrough(page));
  assert.deepEqual(
    unreached.filter((label) => !roving(label)),
    [],
    "the comparison tab's controls",
  );
  await page.locator('vscode-panel-tab[aria-selected="true"]').focus();
  assert.equal(await page.locator('vscode-panels').getAttribute('activeid'), 'tab-comparison');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('vscode-panels')?.getAttribute('activeid') === 'tab-summary');
  assert.equal((await activeInfo(page)).text, 'Summary', 'focus moves with the selected tab');
  ({ unreached } = await tabThrough(page));
  assert.deepEqual(
    unreached.filter((label) => !roving(label)),
    [],
    "the summary tab's controls",
  );
  await page.locator('vscode-button', { hasText: 'Compare with…' }).focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await waitPosted(page, 'compareWith', 1), { type: 'compareWith', messageId: 1 });
  await page.locator('vscode-panel-tab[aria-selected="true"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    () => document.querySelector('vscode-panels')?.getAttribute('activeid') === 'tab-comparison',
  );
  await page.screenshot({ path: path.join(RESULTS, 'a11y-focus-run-tabs.png'), fullPage: true });
  await page.close();
});

test('keyboard: Embedding, every control reached; a point picked and selected, a region made and the lists rebuilt without losing focus', async () => {
  const page = await openEmbedding();
  const view = embedding.views[0];
  const { all, unreached } = await tabThrough(page);
  assert.ok(all.length >= 13, `${all.length} controls`);
  assert.deepEqual(
    unreached.filter((label) => !roving(label)),
    [],
  );

  // The legend: Enter highlights a category; the legend is rebuilt and focus stays on that category's button.
  await page.locator('.legend-entry', { hasText: 'Horror' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.legend-entry[aria-pressed="true"]');
  let active = await activeInfo(page);
  assert.equal(active.key, 'legend:Horror', `focus after the legend is rebuilt: ${JSON.stringify(active)}`);
  assert.equal(active.pressed, 'true');
  await page.screenshot({ path: path.join(RESULTS, 'a11y-focus-embedding-legend.png') });
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !document.querySelector('.legend-entry[aria-pressed="true"]'));
  assert.equal((await activeInfo(page)).key, 'legend:Horror');

  // The plot: Enter puts the cursor on the point nearest the centre; arrows step; Enter selects.
  const plot = page.locator('.view-pane').first().locator('.plot');
  await plot.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !!document.querySelector<HTMLElement>('.view-pane .plot')?.dataset.cursor);
  const cursorId = () => plot.evaluate((p) => (p as HTMLElement).dataset.cursor!);
  const map = await axisMap(page, 0);
  const screen = (i: number) => [map.ax * view.coords[2 * i] + map.bx, map.ay * view.coords[2 * i + 1] + map.by];
  const start = view.ids.indexOf(await cursorId());
  const box = (await page.locator('.view-pane').first().locator('svg.overlay').boundingBox())!;
  const centre = [box.x + (44 + box.width - 10) / 2, box.y + (8 + box.height - 24) / 2];
  const distanceToCentre = (i: number) => Math.hypot(screen(i)[0] - centre[0], screen(i)[1] - centre[1]);
  const closest = view.ids.map((_, i) => i).sort((a, b) => distanceToCentre(a) - distanceToCentre(b))[0];
  assert.ok(
    distanceToCentre(start) <= distanceToCentre(closest) + 1,
    `the cursor starts at the point nearest the centre (${view.ids[closest]}), not ${view.ids[start]}`,
  );
  assert.match(
    (await page.locator('.view-pane').first().locator('.cursor-announcer').textContent()) ?? '',
    new RegExp(`^${view.ids[start]} · ${view.labels![start]}, genre`),
    "the cursor's point is announced",
  );
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    (id) => document.querySelector<HTMLElement>('.view-pane .plot')?.dataset.cursor !== id,
    view.ids[start],
  );
  const right = view.ids.indexOf(await cursorId());
  // Independently: the best point within 45 degrees to the right (along + 2 x across).
  const [sx, sy] = screen(start);
  let expected = -1;
  let bestScore = Infinity;
  for (let i = 0; i < view.n; i++) {
    const [x, y] = screen(i);
    const along = x - sx;
    const across = Math.abs(y - sy);
    if (i === start || along <= 0.5 || across > along) continue;
    if (along + 2 * across < bestScore) [expected, bestScore] = [i, along + 2 * across];
  }
  assert.equal(view.ids[right], view.ids[expected], 'ArrowRight steps to the nearest point to the right');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(
    (id) => document.querySelector<HTMLElement>('.view-pane .plot')?.dataset.cursor !== id,
    view.ids[right],
  );
  const up = view.ids.indexOf(await cursorId());
  assert.ok(screen(up)[1] < screen(right)[1], 'ArrowUp steps to a point above');
  await page.screenshot({ path: path.join(RESULTS, 'a11y-focus-embedding-cursor.png') });
  await page.keyboard.press('Enter');
  assert.deepEqual(await waitPosted(page, 'selection', 1), {
    type: 'selection',
    table: 'item_tower',
    ids: [view.ids[up]],
  });
  await page.waitForFunction(
    (id) => document.querySelector('.view-pane .details h3')?.textContent?.includes(id),
    view.ids[up],
  );
  // The selection is in words too: the text summary and the live line.
  assert.match(
    (await page.locator('.view-pane').first().locator('.selection-summary').textContent()) ?? '',
    new RegExp(`^Selected ${view.ids[up]} · `),
  );
  assert.match(
    (await page.locator('.view-pane').first().locator('.selection-announcer').textContent()) ?? '',
    new RegExp(`Selected ${view.ids[up]} in item_tower`),
  );
  // Shift+arrows pan even with the cursor on; Escape leaves the cursor, then clears the selection.
  const before = await axisMap(page, 0);
  await page.keyboard.press('Shift+ArrowLeft');
  assert.ok((await axisMap(page, 0)).bx > before.bx + 20, 'Shift+ArrowLeft pans');
  assert.equal(view.ids.indexOf(await cursorId()), up, 'and leaves the cursor where it was');
  await page.keyboard.press('0');

  // The neighbour table: Enter on a neighbour selects it; the table is rebuilt and focus goes to its new heading.
  const neighbour = await page
    .locator('.view-pane')
    .first()
    .locator('table.neighbours tbody tr')
    .nth(1)
    .getAttribute('data-id');
  await page
    .locator('.view-pane')
    .first()
    .locator(`table.neighbours .link-button[data-focus-key="select:${neighbour}"]`)
    .focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (id) => document.querySelector('.view-pane .details h3')?.textContent?.includes(id!),
    neighbour,
  );
  active = await activeInfo(page);
  assert.equal(active.tag, 'h3', `focus after the neighbour table is rebuilt: ${JSON.stringify(active)}`);
  assert.match(active.text, new RegExp(`^Selected: ${neighbour}`));
  await page.screenshot({ path: path.join(RESULTS, 'a11y-focus-embedding-neighbours.png') });
  // Tab from the heading reaches the new table's first neighbour; Open works with Enter and keeps focus.
  await page.keyboard.press('Tab');
  assert.match((await activeInfo(page)).key, /^select:/);
  const openButton = page.locator('.view-pane').first().locator('table.neighbours .row-action').first();
  const openId = await openButton.evaluate((b) => b.closest('tr')!.dataset.id!);
  await openButton.focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await waitPosted(page, 'openItem', 1), { type: 'openItem', table: 'item_tower', id: openId });
  assert.equal((await activeInfo(page)).key, `open:${openId}`);

  // A region without the mouse: zoom in with +, press R; the region is exactly the points in view.
  await plot.focus();
  await page.keyboard.press('Escape'); // cursor off
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const zoomed = await axisMap(page, 0);
  const overlay = (await page.locator('.view-pane').first().locator('svg.overlay').boundingBox())!;
  const inner = {
    left: overlay.x + 44,
    right: overlay.x + overlay.width - 10,
    top: overlay.y + 8,
    bottom: overlay.y + overlay.height - 24,
  };
  const inView = view.ids
    .map((_, i) => i)
    .filter((i) => {
      const x = zoomed.ax * view.coords[2 * i] + zoomed.bx;
      const y = zoomed.ay * view.coords[2 * i + 1] + zoomed.by;
      return x >= inner.left + 1 && x <= inner.right - 1 && y >= inner.top + 1 && y <= inner.bottom - 1;
    });
  const selections = (await posted(page)).filter((m) => m.type === 'selection').length;
  await page.keyboard.press('r');
  const region = await waitPosted(page, 'selection', selections + 1);
  const ids = region.ids as string[];
  assert.ok(
    ids.length >= inView.length && ids.length <= inView.length + 3 && ids.length < view.n,
    `R: ${ids.length} points in the region, ${inView.length} well inside the view of ${view.n}`,
  );
  for (const i of inView) assert.ok(ids.includes(view.ids[i]), `${view.ids[i]} is in view and in the region`);
  await page.waitForSelector('.view-pane .region-details h3');
  assert.match(
    (await page.locator('.view-pane').first().locator('.region-details h3').textContent()) ?? '',
    new RegExp(`^Region: ${ids.length} points`),
  );

  // A legend category as a region: highlight it, zoom out, R. The region is that category, every one of its points.
  await page.locator('.legend-entry', { hasText: 'Comedy' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.legend-entry[aria-pressed="true"]');
  await plot.focus();
  await page.keyboard.press('0');
  await page.keyboard.press('R');
  const comedy = (await waitPosted(page, 'selection', selections + 2)).ids as string[];
  const genreOf = (i: number) => GENRES[(view.metadata[0] as { codes: Uint16Array }).codes[i]];
  assert.deepEqual(
    [...comedy].sort(),
    view.ids.filter((_, i) => genreOf(i) === 'Comedy').sort(),
    'the region is the Comedy category',
  );
  await page.locator('.legend-entry', { hasText: 'Comedy' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('.legend-entry[aria-pressed="true"]'));
  // Search results as a region: type a query, then R on the zoomed-out plot.
  await page.locator('vscode-text-field').focus();
  await page.keyboard.type('film 3');
  await page.waitForFunction(() => /in item_tower/.test(document.querySelector('.search-status')?.textContent ?? ''));
  await plot.focus();
  await page.keyboard.press('0');
  await page.keyboard.press('r');
  const found = (await waitPosted(page, 'selection', selections + 3)).ids as string[];
  assert.deepEqual(
    [...found].sort(),
    view.ids.filter((_, i) => view.labels![i].includes('film 3')).sort(),
    'the region is the search matches',
  );
  await page.locator('vscode-text-field').focus();
  for (let i = 0; i < 'film 3'.length; i++) await page.keyboard.press('Backspace');
  await page.waitForFunction(() => (document.querySelector('.search-status')?.textContent ?? '') === '');

  // The text summary: per-category counts and centres of this view, computed here independently.
  const rows = await page
    .locator('.view-pane')
    .first()
    .locator('.category-summary tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent!)));
  assert.deepEqual(
    rows.map((r) => r[0]),
    GENRES,
  );
  for (const [name, count, cx, cy] of rows) {
    const members = view.ids
      .map((_, i) => i)
      .filter((i) => GENRES[(view.metadata[0] as { codes: Uint16Array }).codes[i]] === name);
    assert.equal(count, String(members.length));
    const mean = (d: number) => members.reduce((s, i) => s + view.coords[2 * i + d], 0) / members.length;
    assert.ok(
      Math.abs(Number(cx) - mean(0)) < 0.01 && Math.abs(Number(cy) - mean(1)) < 0.01,
      `${name}: centre (${cx}, ${cy}) vs (${mean(0).toFixed(3)}, ${mean(1).toFixed(3)})`,
    );
  }

  // Search by keyboard, and the toolbar's buttons with Enter / Space.
  await page.locator('vscode-text-field').focus();
  await page.keyboard.type('film 12');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /in item_tower/.test(document.querySelector('.search-status')?.textContent ?? ''));
  await page.locator('vscode-button', { hasText: 'Reset zoom' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('vscode-button', { hasText: 'Clear selection' }).focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !document.querySelector('.view-pane table.neighbours'));
  // The colour-by dropdown: open with Enter or Space... then arrows and Enter.
  await page.locator(COLOUR_BY).focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('.legend .legend-numeric');
  await page.locator(COLOUR_BY).focus();
  await page.screenshot({ path: path.join(RESULTS, 'a11y-focus-embedding-dropdown.png') });
  assert.deepEqual(pageErrors, []);
  await page.close();
});
