/** The probe features of docs/metrics.md 3b, per evaluation row, from the user's history H(r) before the row's time. */
import type { Key } from '../data/keys';
import type { LookupTable } from '../data/tables';
import type { EvalKeys } from './evalKeys';
import { historyLength, UserHistory } from './interactions';
import type { PreferenceData } from './preferences';

/**
 * phi_P(r) = (log(1 + sum_h w(h, i_r)), max_h w(h, i_r)) over h in H(r), two values per row, for P_leak and
 * (when it exists) P_hist. Leave-one-user-out: w is the pair's weight without the row's own user's share
 * (when the data allows it), and a pair counts only when that weight reaches `minCount` (and is above 0), as if
 * P had been built without the row's user. `p` must be loaded with raw weights (loadPreference { raw: true }).
 */
export function preferenceFeatures(keys: EvalKeys, histories: Map<Key, UserHistory>, p: PreferenceData, minCount = p.minCount): { leak: Float64Array; hist: Float64Array | null } {
  const n = keys.items.length;
  const leak = new Float64Array(n * 2);
  const hist = p.timed ? new Float64Array(n * 2) : null;
  const share = new Float64Array(2);
  const floor = Math.max(minCount, 1e-12);
  for (let r = 0; r < n; r++) {
    const item = keys.items[r];
    const pl = p.leak.neighbours.get(item);
    const ph = hist ? p.hist.neighbours.get(item) : undefined;
    if (!pl && !ph) continue;
    const user = keys.users[r];
    const h = histories.get(user);
    const len = historyLength(h, keys.times[r]);
    let sumL = 0, maxL = 0, sumH = 0, maxH = 0;
    for (let k = 0; k < len; k++) {
      const other = h!.items[k];
      let wl = pl?.get(other) ?? 0, wh = ph?.get(other) ?? 0;
      if (wl === 0 && wh === 0) continue;
      if (p.own) { p.own(user, other, item, share); wl -= share[0]; wh -= share[1]; }
      if (wl >= floor) { sumL += wl; if (wl > maxL) maxL = wl; }
      if (wh >= floor) { sumH += wh; if (wh > maxH) maxH = wh; }
    }
    leak[2 * r] = Math.log1p(sumL); leak[2 * r + 1] = maxL;
    if (hist) { hist[2 * r] = Math.log1p(sumH); hist[2 * r + 1] = maxH; }
  }
  return { leak, hist };
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
