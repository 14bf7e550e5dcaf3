/** Slot values in words: numbers, multi-hot positions, and vectors as their nearest items in a lookup table. */
import type { FeedArray } from '../data/batches';
import type { PlannedInput } from '../data/inputPlan';
import type { LookupTable } from '../data/tables';

export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : String(+x.toFixed(4));
}

export function rowValues(col: FeedArray, width: number, index: number): number[] {
  const out: number[] = new Array(width);
  for (let j = 0; j < width; j++) out[j] = Number(col[index * width + j]);
  return out;
}

export function isMultiHot(values: number[]): boolean {
  return values.length > 1 && values.every((v) => v === 0 || v === 1);
}

/** The k rows of `table` nearest (cosine) to `v`. */
export function nearestRows(table: LookupTable, v: ArrayLike<number>, k: number): number[] {
  const d = table.dim;
  let vn = 0;
  for (let j = 0; j < d; j++) vn += v[j] * v[j];
  if (vn === 0) return [];
  const best: { r: number; s: number }[] = [];
  for (let r = 0; r < table.rows; r++) {
    let dot = 0,
      n = 0;
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const t = table.vectors[o + j];
      dot += t * v[j];
      n += t * t;
    }
    const s = n > 0 ? dot / Math.sqrt(n * vn) : -Infinity;
    if (best.length < k || s > best[best.length - 1].s) {
      best.push({ r, s });
      best.sort((a, b) => b.s - a.s);
      if (best.length > k) best.pop();
    }
  }
  return best.map((b) => b.r);
}

export interface Readers {
  /** Tables by dimension, for naming vectors by their nearest items. */
  tablesByDim: Map<number, LookupTable>;
  label: (key: string | number) => string | null;
}

export function inputText(inp: PlannedInput, values: number[], readers: Readers, key?: string | number | null): string {
  if (values.length === 1) return formatNumber(values[0]);
  if (isMultiHot(values)) {
    const on = values.flatMap((v, j) => (v ? [j] : []));
    return `${on.length} of ${values.length} on [${on.join(', ')}]`;
  }
  if (inp.source.kind === 'table' && key !== undefined && key !== null) {
    const label = readers.label(key);
    return `${inp.source.table.name} vector of ${label ? `"${label}"` : key}`;
  }
  const table = readers.tablesByDim.get(values.length);
  if (table) {
    const near = nearestRows(table, values, 3).map((r) => {
      const id = table.ids[r];
      const l = readers.label(id);
      return l ? `"${l}"` : String(id);
    });
    if (near.length) return `vector[${values.length}] nearest: ${near.join(', ')}`;
    return `vector[${values.length}] of zeros`;
  }
  if (values.length <= 8) return `[${values.map(formatNumber).join(', ')}]`;
  return `vector[${values.length}], norm ${formatNumber(Math.hypot(...values))}`;
}
