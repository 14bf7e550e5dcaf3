/** The probe features of docs/metrics.md 3b, per evaluation row, from the user's history H(r) before the row's time. */
import type { Key } from '../data/keys';
import type { LookupTable } from '../data/tables';
import type { EvalKeys } from './evalKeys';
import { historyLength, UserHistory } from './interactions';
import { ItemIds } from './pairStore';
import type { PreferenceData } from './preferences';

/**
 * The evaluation rows and histories as dense ids, built once per (keys, histories) and reused by every feature
 * and sweep setting: each row's user and item, its history length |H(r)| (one binary search per row), and rows
 * grouped by user so a user's own contributions are set up once for all their rows.
 */
interface RowIndex {
  items: ItemIds;
  rowItem: Int32Array;
  /** Index of the row's user in `userKeys`, -1 when the user has no history. */
  rowUser: Int32Array;
  rowLen: Int32Array;
  userKeys: Key[];
  userHist: Int32Array[];
  /** Rows grouped by user: rows byUser[userStart[u] .. userStart[u + 1]) belong to user u. */
  byUser: Int32Array;
  userStart: Int32Array;
}

const indexCache = new WeakMap<EvalKeys, WeakMap<Map<Key, UserHistory>, RowIndex>>();

function rowIndex(keys: EvalKeys, histories: Map<Key, UserHistory>): RowIndex {
  let inner = indexCache.get(keys);
  if (!inner) {
    inner = new WeakMap();
    indexCache.set(keys, inner);
  }
  const hit = inner.get(histories);
  if (hit) return hit;
  const n = keys.items.length;
  const items = new ItemIds();
  const userOf = new Map<Key, number>();
  const userKeys: Key[] = [],
    userHist: Int32Array[] = [];
  const rowItem = new Int32Array(n),
    rowUser = new Int32Array(n),
    rowLen = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    rowItem[r] = items.id(keys.items[r]);
    const key = keys.users[r];
    let u = userOf.get(key);
    if (u === undefined) {
      const h = histories.get(key);
      u = h ? userKeys.length : -1;
      if (h) {
        userKeys.push(key);
        userHist.push(Int32Array.from(h.items, (it) => items.id(it)));
      }
      userOf.set(key, u);
    }
    rowUser[r] = u;
    rowLen[r] = u < 0 ? 0 : historyLength(histories.get(key), keys.times[r]);
  }
  const userStart = new Int32Array(userKeys.length + 2);
  for (let r = 0; r < n; r++) userStart[rowUser[r] + 2]++;
  for (let u = 0; u <= userKeys.length; u++) userStart[u + 1] += userStart[u];
  const byUser = new Int32Array(n);
  for (let r = 0; r < n; r++) byUser[userStart[rowUser[r] + 1]++] = r;
  const index: RowIndex = {
    items,
    rowItem,
    rowUser,
    rowLen,
    userKeys,
    userHist,
    byUser,
    userStart: userStart.subarray(0, userKeys.length + 1),
  };
  inner.set(histories, index);
  return index;
}

/**
 * phi_P(r) = (log(1 + sum_h w(h, i_r)), max_h w(h, i_r)) over h in H(r), two values per row, for P_leak and
 * (when it exists) P_hist. Leave-one-user-out: w is the pair's weight without the row's own user's share
 * (when the data allows it), and a pair counts only when that weight reaches `minCount` (and is above 0), as if
 * P had been built without the row's user. `p` must be loaded with raw weights (loadPreference { raw: true }).
 */
export function preferenceFeatures(
  keys: EvalKeys,
  histories: Map<Key, UserHistory>,
  p: PreferenceData,
  minCount = p.minCount,
): { leak: Float64Array; hist: Float64Array | null } {
  const n = keys.items.length;
  const ix = rowIndex(keys, histories);
  const leak = new Float64Array(n * 2);
  const hist = p.timed ? new Float64Array(n * 2) : null;
  const floor = Math.max(minCount, 1e-12);
  // Row-index item ids -> the store's item ids (-1: the item is in no pair).
  const toStore = Int32Array.from(ix.items.keys, (k) => p.items.get(k));
  const wLeak = p.leakWeights,
    wHist = p.histWeights,
    store = p.store;
  const own = p.own;
  const window = own?.kind === 'events' ? own.window : 0,
    start = own?.kind === 'events' ? own.start : 0;
  // Leave-one-user-out scratch: the current user's runs of events per item, or own weight per pair.
  const runStart = own?.kind === 'events' ? new Int32Array(p.items.size).fill(-1) : undefined;
  const runEnd = own?.kind === 'events' ? new Int32Array(p.items.size) : undefined;
  const ownLeak = own?.kind === 'pairs' ? new Float64Array(store.size) : undefined;
  const ownHist = own?.kind === 'pairs' ? new Float64Array(store.size) : undefined;
  for (let u = -1; u < ix.userKeys.length; u++) {
    const from = u < 0 ? 0 : ix.userStart[u],
      to = u < 0 ? 0 : ix.userStart[u + 1];
    if (from === to) continue; // rows of users without history (u = -1) keep zero features
    const hItems = ix.userHist[u];
    const ev = own?.kind === 'events' ? own.users.get(ix.userKeys[u]) : undefined;
    const op = own?.kind === 'pairs' ? own.users.get(ix.userKeys[u]) : undefined;
    if (ev)
      for (let e = 0; e < ev.items.length; e++) {
        const it = ev.items[e];
        if (runStart![it] < 0) runStart![it] = e;
        runEnd![it] = e + 1;
      }
    if (op)
      for (let e = 0; e < op.pair.length; e++) {
        ownLeak![op.pair[e]] += op.leak[e];
        ownHist![op.pair[e]] += op.hist[e];
      }
    for (let q = from; q < to; q++) {
      const r = ix.byUser[q];
      const item = toStore[ix.rowItem[r]];
      if (item < 0) continue;
      const len = ix.rowLen[r];
      let sumL = 0,
        maxL = 0,
        sumH = 0,
        maxH = 0;
      for (let k = 0; k < len; k++) {
        const other = toStore[hItems[k]];
        if (other < 0 || other === item) continue;
        const pair = store.find(other, item);
        if (pair < 0) continue;
        let wl = wLeak[pair],
          wh = hist ? wHist[pair] : 0;
        if (wl === 0 && wh === 0) continue;
        if (ev) {
          // The user's own event pairs (other, item) within the window: all [leak], both before the start [hist].
          const a0 = runStart![other],
            b0 = runStart![item];
          if (a0 >= 0 && b0 >= 0) {
            const a1 = runEnd![other],
              b1 = runEnd![item];
            let cl = 0,
              ch = 0;
            for (let a = a0; a < a1; a++)
              for (let b = b0; b < b1; b++) {
                const ta = ev.times[a],
                  tb = ev.times[b];
                if (Math.abs(ta - tb) <= window) {
                  cl++;
                  if (Math.max(ta, tb) < start) ch++;
                }
              }
            wl -= cl;
            wh -= ch;
          }
        } else if (op) {
          wl -= ownLeak![pair];
          wh -= ownHist![pair];
        }
        if (wl >= floor) {
          sumL += wl;
          if (wl > maxL) maxL = wl;
        }
        if (wh >= floor) {
          sumH += wh;
          if (wh > maxH) maxH = wh;
        }
      }
      leak[2 * r] = Math.log1p(sumL);
      leak[2 * r + 1] = maxL;
      if (hist) {
        hist[2 * r] = Math.log1p(sumH);
        hist[2 * r + 1] = maxH;
      }
    }
    if (ev) for (let e = 0; e < ev.items.length; e++) runStart![ev.items[e]] = -1;
    if (op)
      for (let e = 0; e < op.pair.length; e++) {
        ownLeak![op.pair[e]] = 0;
        ownHist![op.pair[e]] = 0;
      }
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
    let sum = 0,
      max = -Infinity,
      count = 0;
    for (let k = 0; k < len; k++) {
      const rh = t.index.get(h!.items[k]);
      if (rh === undefined) continue;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += v[ri * d + j] * v[rh * d + j];
      sum += dot;
      count++;
      if (dot > max) max = dot;
    }
    if (count) {
      out[2 * r] = sum / count;
      out[2 * r + 1] = max;
    }
  }
  return out;
}
