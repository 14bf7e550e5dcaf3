/**
 * Maps a metadata column to point colours across all views at once, so a category or value has the same colour
 * in both plots. Every point gets a small palette index: the renderer then draws one batch per colour.
 */
import { interpolateViridis, schemeTableau10 } from 'd3';
import type { EmbeddingView, MetadataColumn } from '../../src/protocol/messages';
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
  | { kind: 'number'; column: string; palette: string[]; bins: number; domain: [number, number]; interpolate: (t: number) => string; missingCount: number };

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
  for (const view of views) for (const column of view.metadata) if (!seen.has(column.name)) seen.set(column.name, { name: column.name, kind: column.kind });
  return [...seen.values()];
}

/** The colour-by column to start with: the first categorical one (clusters read best), else the first column. */
export function defaultColourColumn(views: readonly EmbeddingView[]): string | undefined {
  const columns = colourColumns(views);
  return (columns.find((c) => c.kind === 'category') ?? columns[0])?.name;
}

export function colourPoints(views: readonly EmbeddingView[], columnName: string | undefined, theme: Theme): ColouredPoints {
  const columns = views.map((view) => view.metadata.find((c) => c.name === columnName));
  const kind = columns.find((c) => c !== undefined)?.kind;
  if (columnName === undefined || kind === undefined) return { encoding: { kind: 'none', palette: [theme.point] }, paletteIndex: views.map((v) => new Uint16Array(v.n)) };
  return kind === 'category' ? colourByCategory(views, columnName, columns, theme) : colourByNumber(views, columnName, columns, theme);
}

/** Up to 10 categories get their own colour (Tableau 10); with more, the 9 most frequent do and the rest are "other". */
const MAX_COLOURS = schemeTableau10.length;

function colourByCategory(views: readonly EmbeddingView[], column: string, columns: (MetadataColumn | undefined)[], theme: Theme): ColouredPoints {
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
  if (named.length > MAX_COLOURS) named = named.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0)).slice(0, MAX_COLOURS - 1);
  const entries: LegendEntry[] = named.map((name, i) => ({ name, colour: schemeTableau10[i], count: counts.get(name) ?? 0 }));
  const slot = new Map(named.map((name, i) => [name, i]));
  const otherNames = [...counts.keys()].filter((name) => !slot.has(name));
  const otherSlot = entries.length;
  if (otherNames.length) entries.push({ name: `Other (${otherNames.length} categories)`, colour: theme.muted, count: otherNames.reduce((s, name) => s + (counts.get(name) ?? 0), 0) });
  const missingSlot = entries.length;
  if (missing) entries.push({ name: 'Missing', colour: theme.muted, count: missing });

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

function colourByNumber(views: readonly EmbeddingView[], column: string, columns: (MetadataColumn | undefined)[], theme: Theme): ColouredPoints {
  const values: number[] = [];
  columns.forEach((c) => {
    if (c?.kind === 'number') for (const value of c.values) if (Number.isFinite(value)) values.push(value);
  });
  const domain = robustDomain(values);
  // Viridis' dark end vanishes on dark backgrounds and its yellow end on light ones: use the part that stays visible.
  const interpolate = theme.dark ? (t: number) => interpolateViridis(0.18 + 0.82 * t) : (t: number) => interpolateViridis(0.88 * t);
  const palette = Array.from({ length: NUMERIC_BINS }, (_, b) => interpolate(b / (NUMERIC_BINS - 1)));
  palette.push(theme.muted);
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
  return { encoding: { kind: 'number', column, palette, bins: NUMERIC_BINS, domain, interpolate, missingCount }, paletteIndex };
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
