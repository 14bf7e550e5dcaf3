/** AUC and GAUC (docs/metrics.md section 1): ties count 1/2; groups with one class are skipped and counted. */
import { floatKey, sortKeys, sortScores } from './argsort';
import { warmArray } from '../compute/warmMemory';

/**
 * Weighted AUC over rows visited in ascending score order. `weights` (optional) multiplies each row, which is how
 * a bootstrap replicate is scored without re-sorting. Returns NaN when a class is absent.
 */
export function aucFromOrder(
  order: Uint32Array,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  let negBelow = 0,
    num = 0,
    pos = 0,
    neg = 0;
  const n = order.length;
  let i = 0;
  while (i < n) {
    const s = scores[order[i]];
    let posW = 0,
      negW = 0;
    let j = i;
    while (j < n && scores[order[j]] === s) {
      const r = order[j];
      const w = weights ? weights[r] : 1;
      if (labels[r]) posW += w;
      else negW += w;
      j++;
    }
    num += posW * (negBelow + 0.5 * negW);
    negBelow += negW;
    pos += posW;
    neg += negW;
    i = j;
  }
  return pos > 0 && neg > 0 ? num / (pos * neg) : NaN;
}

export function auc(labels: ArrayLike<number>, scores: Float32Array | Float64Array): number {
  const fast = scores instanceof Float32Array ? aucByClass(labels, scores) : undefined;
  if (fast !== undefined) return fast;
  const { sorted, labels: ranked } = sortScores(scores, labels);
  return aucRanked(sorted, ranked!);
}

/**
 * aucRanked's result without an argsort: the positives' and the negatives' score keys are radix-sorted apart (keys
 * only) and merged, counting each distinct score's positives and negatives. Every term is a multiple of 1/2 below
 * 2^53 while n < 2^26, so the sums are exact and equal aucRanked's bit for bit. -0 is keyed as +0 (they tie under
 * ===). Undefined (use the argsort) for NaN scores, which never tie under ===, and for larger n.
 */
function aucByClass(labels: ArrayLike<number>, scores: Float32Array): number | undefined {
  const n = scores.length;
  if (n >= 2 ** 26) return undefined;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, n);
  let p = 0;
  for (let i = 0; i < n; i++) if (labels[i]) p++;
  if (p === 0 || p === n) return NaN;
  const pos = new Uint32Array(p),
    neg = new Uint32Array(n - p);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    let x = bits[i];
    if ((x & 0x7fffffff) > 0x7f800000) return undefined; // NaN
    if (x === 0x80000000) x = 0; // -0 ties +0
    if (labels[i]) pos[a++] = floatKey(x);
    else neg[b++] = floatKey(x);
  }
  sortKeys(pos);
  sortKeys(neg);
  let num = 0,
    negBelow = 0,
    i = 0,
    j = 0;
  const P = pos.length,
    N = neg.length;
  while (i < P) {
    const v = pos[i];
    while (j < N && neg[j] < v) {
      j++;
      negBelow++;
    }
    let posW = 0,
      negW = 0;
    do {
      posW++;
      i++;
    } while (i < P && pos[i] === v);
    while (j < N && neg[j] === v) {
      negW++;
      j++;
    }
    num += posW * (negBelow + 0.5 * negW);
    negBelow += negW;
  }
  return num / (P * N);
}

/** Labels (or any per-row values) in rank order, so that later passes read them sequentially. */
export function rankedLabels(order: Uint32Array, labels: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = labels[order[i]];
  return out;
}

/** Each ranked row's group (the bootstrap unit), for aucRanked's weights. */
export function rankedGroups(order: Uint32Array, groups: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = groups[order[i]];
  return out;
}

/**
 * aucFromOrder over rows already in rank order: `sorted` scores and their `labels`. A bootstrap replicate weighs
 * ranked row i by mult[unit[i]] (unit: the row's group, or the row itself), the same weights in the same order as
 * aucFromOrder with per-row weights, so the result is identical; sequential reads make it several times faster.
 */
export function aucRanked(
  sorted: Float32Array,
  labels: Uint8Array,
  unit?: ArrayLike<number>,
  mult?: ArrayLike<number>,
): number {
  const weighted = unit !== undefined && mult !== undefined;
  let negBelow = 0,
    num = 0,
    pos = 0,
    neg = 0;
  const n = sorted.length;
  let i = 0;
  while (i < n) {
    const s = sorted[i];
    let posW = 0,
      negW = 0;
    let j = i;
    do {
      // Unweighted rows add 1, as weighted rows of weight 1 would: the same sums either way.
      const w = weighted ? mult[unit[j]] : 1;
      if (labels[j]) posW += w;
      else negW += w;
      j++;
    } while (j < n && sorted[j] === s);
    num += posW * (negBelow + 0.5 * negW);
    negBelow += negW;
    pos += posW;
    neg += negW;
    i = j;
  }
  return pos > 0 && neg > 0 ? num / (pos * neg) : NaN;
}

export interface GroupAucs {
  /** AUC per group (NaN for one-class groups). */
  aucs: Float64Array;
  /** Rows per group. */
  sizes: Float64Array;
  used: number;
  skipped: number;
}

/** The rows grouped by group, each group's rows in ascending score order, with their scores and labels. */
export interface ByGroup {
  rows: Uint32Array;
  /** Group g's rows are rows[offsets[g] .. offsets[g + 1]). */
  offsets: Uint32Array;
  scores: Float32Array;
  labels: Uint8Array;
}

/** A counting sort of the score order by group (stable: each group keeps score order), scores and labels gathered. */
export function byGroup(
  order: Uint32Array,
  scores: Float32Array,
  labels: ArrayLike<number>,
  groups: Int32Array,
  groupCount: number,
): ByGroup {
  const n = order.length;
  const offsets = new Uint32Array(groupCount + 1);
  for (let i = 0; i < n; i++) offsets[groups[i] + 1]++;
  for (let g = 0; g < groupCount; g++) offsets[g + 1] += offsets[g];
  const cursor = offsets.slice(0, groupCount);
  const rows = warmArray(Uint32Array, n);
  for (let i = 0; i < n; i++) {
    const r = order[i];
    rows[cursor[groups[r]]++] = r;
  }
  const s = warmArray(Float32Array, n),
    l = warmArray(Uint8Array, n);
  for (let j = 0; j < n; j++) {
    s[j] = scores[rows[j]];
    l[j] = labels[rows[j]] ? 1 : 0;
  }
  return { rows, offsets, scores: s, labels: l };
}

/**
 * Per-group AUCs: aucRanked over each group's rows in score order. `words` (in by-group order) and `bit`: only the
 * rows whose word has the bit (a slice), gathered per group; a slice's rows in the whole's order are its own order.
 */
export function groupAucsOf(bg: ByGroup, groupCount: number, words?: Uint32Array, bit = 0): GroupAucs {
  const aucs = new Float64Array(groupCount),
    sizes = new Float64Array(groupCount);
  let used = 0,
    skipped = 0,
    largest = 0;
  for (let g = 0; g < groupCount; g++) largest = Math.max(largest, bg.offsets[g + 1] - bg.offsets[g]);
  const s = words ? new Float32Array(largest) : bg.scores,
    l = words ? new Uint8Array(largest) : bg.labels;
  for (let g = 0; g < groupCount; g++) {
    let from = bg.offsets[g],
      to = bg.offsets[g + 1];
    if (words) {
      let c = 0;
      for (let j = from; j < to; j++)
        if (words[j] & bit) {
          s[c] = bg.scores[j];
          l[c++] = bg.labels[j];
        }
      from = 0;
      to = c;
    }
    sizes[g] = to - from;
    aucs[g] = to > from ? aucRanked(s.subarray(from, to), l.subarray(from, to)) : NaN;
    if (to === from) continue;
    if (Number.isNaN(aucs[g])) skipped++;
    else used++;
  }
  return { aucs, sizes, used, skipped };
}

/** Per-group AUCs in O(n) after one global sort: a counting sort by group keeps each group's rows in score order. */
export function groupAucs(
  order: Uint32Array,
  scores: Float32Array,
  labels: ArrayLike<number>,
  groups: Int32Array,
  groupCount: number,
): GroupAucs {
  return groupAucsOf(byGroup(order, scores, labels, groups, groupCount), groupCount);
}

/** GAUC = sum_g w_g n_g AUC_g / sum_g w_g n_g over groups with both classes; w_g are bootstrap multiplicities. */
export function gaucFromGroups(ga: GroupAucs, multiplicity?: ArrayLike<number>): number {
  let num = 0,
    den = 0;
  for (let g = 0; g < ga.aucs.length; g++) {
    const a = ga.aucs[g];
    if (Number.isNaN(a)) continue;
    const w = (multiplicity ? multiplicity[g] : 1) * ga.sizes[g];
    num += w * a;
    den += w;
  }
  return den > 0 ? num / den : NaN;
}
