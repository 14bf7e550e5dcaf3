/**
 * Maps a metadata column to point colours across all views at once, so a category or value has the same colour
 * in both plots. Every point gets a small palette index: the renderer then draws one batch per colour.
 */
import { interpolateViridis } from 'd3';
import type { EmbeddingView, MetadataColumn } from '../../src/protocol/embedding';
import { visibleStretch, withContrast } from '../shared/contrast';
import type { Theme } from '../shared/theme';

export interface LegendEntry {
  name: string;
  colour: string;
  count: number;
}

export type ColourEncoding =
  | { kind: 'none'; palette: string[] }
  /** palette[i] is entries[i].colour; the last entries may be "other" and "missing". */
  | { kind: 'category'; column: string; palette: string[]; entries: LegendEntry[] }
  /** palette holds `bins` colours from low to high, then the missing colour; `missingCount` points have no value. */
  | {
      kind: 'number';
      column: string;
      palette: string[];
      bins: number;
      domain: [number, number];
      interpolate: (t: number) => string;
      missingCount: number;
    };

export interface ColouredPoints {
  encoding: ColourEncoding;
  /** Per view, the palette index of each point. */
  paletteIndex: Uint16Array[];
}

export interface ColumnChoice {
  name: string;
  kind: MetadataColumn['kind'];
}

/** Metadata columns of all views, first view's order first, each name once. */
export function colourColumns(views: readonly EmbeddingView[]): ColumnChoice[] {
  const seen = new Map<string, ColumnChoice>();
  for (const view of views)
    for (const column of view.metadata)
      if (!seen.has(column.name)) seen.set(column.name, { name: column.name, kind: column.kind });
  return [...seen.values()];
}

/** The colour-by column to start with: the first categorical one (clusters read best), else the first column. */
export function defaultColourColumn(views: readonly EmbeddingView[]): string | undefined {
  const columns = colourColumns(views);
  return (columns.find((c) => c.kind === 'category') ?? columns[0])?.name;
}

export function colourPoints(
  views: readonly EmbeddingView[],
  columnName: string | undefined,
  theme: Theme,
): ColouredPoints {
  const columns = views.map((view) => view.metadata.find((c) => c.name === columnName));
  const kind = columns.find((c) => c !== undefined)?.kind;
  if (columnName === undefined || kind === undefined)
    return { encoding: { kind: 'none', palette: [theme.point] }, paletteIndex: views.map((v) => new Uint16Array(v.n)) };
  return kind === 'category'
    ? colourByCategory(views, columnName, columns, theme)
    : colourByNumber(views, columnName, columns, theme);
}

/**
 * Category colours, one palette per theme kind. Dark themes: Okabe & Ito's colour-blind-safe palette (black swapped
 * for light grey). Light themes: Okabe-Ito's blue, vermillion, bluish green and reddish purple, completed with four
 * colours chosen so that every colour reaches 3:1 on white and any two stay at least 16 CIELAB units apart for
 * normal vision and simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009, full severity); the
 * measurements are in docs/accessibility.md and test/accessibility.test.ts re-checks them in the page.
 */
const LIGHT_CATEGORY_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#8800ff', '#774422', '#cc79a7', '#554455', '#bb55ff'];
const DARK_CATEGORY_COLOURS = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#d9d9d9'];
/** Marks reach this contrast against the background (WCAG 1.4.11, non-text contrast). */
const MARK_CONTRAST = 3;

/** Up to 8 categories get their own colour; with more, the 7 most frequent do and the rest are "other". */
const MAX_COLOURS = LIGHT_CATEGORY_COLOURS.length;

/** The category palette for a theme, each colour adjusted if a custom theme's background would swallow it. */
export function categoryPalette(theme: Theme): string[] {
  return (theme.dark ? DARK_CATEGORY_COLOURS : LIGHT_CATEGORY_COLOURS).map((colour) =>
    withContrast(colour, theme.background, MARK_CONTRAST),
  );
}

/** "Other" and "Missing" points: the theme's muted colour, made visible enough to count as a mark. */
function mutedMark(theme: Theme): string {
  return withContrast(theme.muted, theme.background, MARK_CONTRAST);
}

function colourByCategory(
  views: readonly EmbeddingView[],
  column: string,
  columns: (MetadataColumn | undefined)[],
  theme: Theme,
): ColouredPoints {
  // Two views usually show the same items (two tables of one catalogue): a category's count is the most points it
  // has in any one view, not the sum over views (which doubled every count: Comedy 5,558 = 2 x 2,779).
  const counts = new Map<string, number>();
  let missing = 0;
  views.forEach((view, v) => {
    const c = columns[v];
    if (c?.kind !== 'category') {
      missing = Math.max(missing, view.n);
      return;
    }
    const perCode = new Uint32Array(c.dictionary.length);
    for (const code of c.codes) perCode[code]++;
    c.dictionary.forEach((name, code) => counts.set(name, Math.max(counts.get(name) ?? 0, perCode[code])));
  });
  // Dictionary order keeps colours stable between refreshes; only when categories must be cut are they ranked by size.
  let named = [...counts.keys()];
  if (named.length > MAX_COLOURS)
    named = named.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0)).slice(0, MAX_COLOURS - 1);
  const palette = categoryPalette(theme);
  const entries: LegendEntry[] = named.map((name, i) => ({ name, colour: palette[i], count: counts.get(name) ?? 0 }));
  const slot = new Map(named.map((name, i) => [name, i]));
  const otherNames = [...counts.keys()].filter((name) => !slot.has(name));
  const otherSlot = entries.length;
  if (otherNames.length)
    entries.push({
      name: `Other (${otherNames.length} categories)`,
      colour: mutedMark(theme),
      count: otherNames.reduce((s, name) => s + (counts.get(name) ?? 0), 0),
    });
  const missingSlot = entries.length;
  if (missing) entries.push({ name: 'Missing', colour: mutedMark(theme), count: missing });

  const paletteIndex = views.map((view, v) => {
    const c = columns[v];
    const out = new Uint16Array(view.n);
    if (c?.kind !== 'category') return out.fill(missingSlot);
    const codeToSlot = c.dictionary.map((name) => slot.get(name) ?? otherSlot);
    for (let i = 0; i < view.n; i++) out[i] = codeToSlot[c.codes[i]];
    return out;
  });
  return { encoding: { kind: 'category', column, palette: entries.map((e) => e.colour), entries }, paletteIndex };
}

/** Quantised into this many steps so a numeric colouring still draws as a few batches. */
const NUMERIC_BINS = 32;

function colourByNumber(
  views: readonly EmbeddingView[],
  column: string,
  columns: (MetadataColumn | undefined)[],
  theme: Theme,
): ColouredPoints {
  const values: number[] = [];
  columns.forEach((c) => {
    if (c?.kind === 'number') for (const value of c.values) if (Number.isFinite(value)) values.push(value);
  });
  const domain = robustDomain(values);
  // Viridis' dark end vanishes on dark backgrounds and its yellow end on light ones: use only the stretch whose
  // colours all reach 3:1 against this theme's background.
  const [t0, t1] = visibleStretch(interpolateViridis, theme.background, MARK_CONTRAST);
  const interpolate = (t: number) => interpolateViridis(t0 + (t1 - t0) * t);
  const palette = Array.from({ length: NUMERIC_BINS }, (_, b) => interpolate(b / (NUMERIC_BINS - 1)));
  palette.push(mutedMark(theme));
  const [low, high] = domain;
  const span = high - low;
  let missingCount = 0; // the most in any one view, as category counts
  const paletteIndex = views.map((view, v) => {
    const c = columns[v];
    const out = new Uint16Array(view.n);
    let missingHere = 0;
    for (let i = 0; i < view.n; i++) {
      const value = c?.kind === 'number' ? c.values[i] : NaN;
      if (!Number.isFinite(value)) {
        out[i] = NUMERIC_BINS;
        missingCount = Math.max(missingCount, ++missingHere);
        continue;
      }
      const t = Math.min(1, Math.max(0, (value - low) / span));
      out[i] = Math.round(t * (NUMERIC_BINS - 1));
    }
    return out;
  });
  return {
    encoding: { kind: 'number', column, palette, bins: NUMERIC_BINS, domain, interpolate, missingCount },
    paletteIndex,
  };
}

/** The 2nd to 98th percentile, so one extreme item does not wash out everyone else's colour. */
function robustDomain(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
  let low = at(0.02);
  let high = at(0.98);
  if (!(high > low)) {
    low = sorted[0];
    high = sorted[sorted.length - 1];
  }
  if (!(high > low)) high = low + 1;
  return [low, high];
}
