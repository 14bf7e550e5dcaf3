/** The per-row value an input takes when its slot is masked (docs/metrics.md section 2). */
import type { NeutralValue } from '../config/types';
import type { FeedArray } from '../data/batches';
import { feedArray } from '../data/feedPool';
import type { PlannedInput } from '../data/inputPlan';
import { normaliseKey } from '../data/keys';
import { inputError } from '../errors';

/** One row's worth of the neutral value (width values), in the input's dtype. */
export function neutralRow(input: PlannedInput, column: FeedArray, rows: number, neutral: NeutralValue): FeedArray {
  return neutralRowFrom(
    input,
    (start, end) => column.subarray(start * input.width, end * input.width) as FeedArray,
    rows,
    neutral,
  );
}

/** Rows read per block when a mean is taken over columns read from disk. */
const MEAN_BLOCK = 65536;

/** neutralRow over a column read in blocks (`read(start, end)` gives rows [start, end)); same sums, same order. */
export function neutralRowFrom(
  input: PlannedInput,
  read: (start: number, end: number) => FeedArray,
  rows: number,
  neutral: NeutralValue,
): FeedArray {
  const w = input.width;
  const sample = read(0, Math.min(rows, 1));
  const big = sample instanceof BigInt64Array;
  const row = new Float64Array(w);
  if (neutral === 'mean') {
    for (let start = 0; start < rows; start += MEAN_BLOCK) {
      const end = Math.min(rows, start + MEAN_BLOCK);
      const block = read(start, end);
      for (let r = 0; r < end - start; r++) for (let k = 0; k < w; k++) row[k] += Number(block[r * w + k]);
    }
    for (let k = 0; k < w; k++) row[k] = big ? Math.round(row[k] / rows) : row[k] / rows;
  } else if (typeof neutral === 'number') row.fill(neutral);
  else if (typeof neutral === 'object') {
    if (input.source.kind === 'table') {
      const t = input.source.table;
      const r = t.index.get(normaliseKey(neutral.id));
      row.set(r === undefined ? t.fallback : t.vectors.subarray(r * w, (r + 1) * w));
    } else {
      const v = Number(neutral.id);
      if (!Number.isFinite(v))
        throw inputError(
          `Neutral id "${neutral.id}" for input "${input.name}" is not a number; column-fed inputs take numeric ids.`,
          { path: input.configPath },
        );
      row.fill(v);
    }
  }
  const Ctor = sample.constructor as new (n: number) => FeedArray;
  const out = new Ctor(w);
  for (let k = 0; k < w; k++) out[k] = (big ? BigInt(Math.round(row[k])) : row[k]) as never;
  return out;
}

/** `count` copies of a row. */
export function repeatRow(row: FeedArray, count: number): FeedArray {
  const out = feedArray(row.constructor as typeof Float32Array, row.length * count) as FeedArray;
  for (let i = 0; i < count; i++) (out as Float32Array).set(row as Float32Array, i * row.length);
  return out;
}
