/** The probe features of metrics.md 3b, per evaluation row, from the user's history H(r) before the row's time. */
import type { Key } from '../data/keys';
import type { LookupTable } from '../data/tables';
import type { EvalKeys } from './evalKeys';
import { historyLength, UserHistory } from './interactions';
import type { PairWeights } from './preferences';

/** phi_P(r) = (log(1 + sum_h w_P(h, i_r)), max_h w_P(h, i_r)); two values per row. */
export function preferenceFeatures(keys: EvalKeys, histories: Map<Key, UserHistory>, p: PairWeights): Float64Array {
  const n = keys.items.length;
  const out = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) {
    const partners = p.neighbours.get(keys.items[r]);
    if (!partners) continue;
    const h = histories.get(keys.users[r]);
    const len = historyLength(h, keys.times[r]);
    let sum = 0, max = 0;
    for (let k = 0; k < len; k++) {
      const w = partners.get(h!.items[k]);
      if (w !== undefined) { sum += w; if (w > max) max = w; }
    }
    out[2 * r] = Math.log1p(sum);
    out[2 * r + 1] = max;
  }
  return out;
}

/** Unit-norm copy of a table's vectors, so a dot product is a cosine. */
export function normalisedVectors(t: LookupTable): Float32Array {
  const v = new Float32Array(t.vectors);
  for (let r = 0; r < t.rows; r++) {
    let s = 0;
    for (let k = 0; k < t.dim; k++) s += v[r * t.dim + k] ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let k = 0; k < t.dim; k++) v[r * t.dim + k] /= norm;
  }
  return v;
}

/** phi_T(r) = (mean, max) cosine between T[i_r] and T[h] over h in H(r); zeros when either side is unknown. */
export function tableFeatures(keys: EvalKeys, histories: Map<Key, UserHistory>, t: LookupTable): Float64Array {
  const n = keys.items.length;
  const d = t.dim;
  const v = normalisedVectors(t);
  const out = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) {
    const ri = t.index.get(keys.items[r]);
    if (ri === undefined) continue;
    const h = histories.get(keys.users[r]);
    const len = historyLength(h, keys.times[r]);
    let sum = 0, max = -Infinity, count = 0;
    for (let k = 0; k < len; k++) {
      const rh = t.index.get(h!.items[k]);
      if (rh === undefined) continue;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += v[ri * d + j] * v[rh * d + j];
      sum += dot; count++;
      if (dot > max) max = dot;
    }
    if (count) { out[2 * r] = sum / count; out[2 * r + 1] = max; }
  }
  return out;
}
