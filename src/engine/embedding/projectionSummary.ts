/**
 * What an embed run keeps of its projection for the report: a seeded sample of points (x, y and a colour slot)
 * coloured by the same column, with the same palette and legend rules, as the Embedding Space panel's default
 * (the first categorical metadata column; up to 10 categories in dictionary order, else the 9 largest and "Other").
 */
import type { MetadataColumn } from './view';
import { seededRandom } from '../util/random';

export const MUTED = '#9aa0a6';
/** Tableau 10, the categorical palette the Embedding Space panel uses (d3.schemeTableau10). */
const TABLEAU10 = [
  '#4e79a7',
  '#f28e2c',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#af7aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ab',
];

export interface ProjectionSummary {
  colourBy: string | null;
  legend: { name: string; colour: string; count: number }[];
  /** Sampled points: coordinates rounded for size, and each point's legend slot. */
  x: number[];
  y: number[];
  c: number[];
  /** Points in the projection (the sample is drawn from these). */
  points: number;
}

export function summariseProjection(
  coords: Float32Array,
  metadata: MetadataColumn[],
  seed: number,
  maxPoints = 3000,
): ProjectionSummary {
  const n = coords.length / 2;
  const column = metadata.find((m): m is Extract<MetadataColumn, { kind: 'category' }> => m.kind === 'category');
  const slotOf = new Int32Array(n);
  let legend: ProjectionSummary['legend'] = [{ name: 'all points', colour: TABLEAU10[0], count: n }];
  if (column) {
    const perCode = new Array<number>(column.dictionary.length).fill(0);
    for (let i = 0; i < n; i++) perCode[column.codes[i]]++;
    let named = column.dictionary.map((_, code) => code).filter((code) => perCode[code] > 0);
    const all = named.slice();
    if (named.length > TABLEAU10.length)
      named = named.sort((a, b) => perCode[b] - perCode[a]).slice(0, TABLEAU10.length - 1);
    const slot = new Map(named.map((code, i) => [code, i]));
    legend = named.map((code, i) => ({ name: column.dictionary[code], colour: TABLEAU10[i], count: perCode[code] }));
    const others = all.filter((code) => !slot.has(code));
    if (others.length)
      legend.push({
        name: `Other (${others.length} categories)`,
        colour: MUTED,
        count: others.reduce((s, code) => s + perCode[code], 0),
      });
    for (let i = 0; i < n; i++) slotOf[i] = slot.get(column.codes[i]) ?? named.length;
  }
  // Seeded sample without replacement (partial Fisher-Yates), drawn in index order so the file is stable.
  const idx = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(n, maxPoints);
  const rng = seededRandom(seed ^ 0x9e37);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const pick = idx.slice(0, m).sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    colourBy: column?.name ?? null,
    legend,
    points: n,
    x: pick.map((i) => r(coords[2 * i])),
    y: pick.map((i) => r(coords[2 * i + 1])),
    c: pick.map((i) => slotOf[i]),
  };
}
