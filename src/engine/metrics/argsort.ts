/**
 * Ascending argsort of float scores by LSD radix sort on their float32 bit patterns: O(n), no comparator calls.
 * Ties keep their input order (stable), so the order is the one any stable sort gives.
 *
 * Each pass reads (key, index) pairs sequentially and scatters them together (no gather through the order, which
 * missed the cache on every row); all digit histograms come from one counting pass; a pass whose digit is the same
 * for every row is skipped; the last pass writes the scores back (bit for bit) instead of keys, so callers walk
 * rows in score order reading scores sequentially. Labels, when given, ride in the index's low bit and come out in
 * rank order too, which saves a random gather per sort. 8-bit digits: 256 scatter targets stay in cache.
 */
import { warmArray } from '../compute/warmMemory';

export interface SortedScores {
  /** Row indices in ascending score order. */
  order: Uint32Array;
  /** The scores in that order (bit-identical to scores[order[i]]). */
  sorted: Float32Array;
  /** labels[order[i]], when labels were given. */
  labels?: Uint8Array;
}

const BITS = 8;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
const PASSES = 32 / BITS;

/**
 * `shared`: the results live in SharedArrayBuffers, so that one sort can be handed to other workers without a copy
 * (eval's base metrics and slice metrics run in two workers from one sort).
 */
export function sortScores(
  scores: Float32Array | Float64Array,
  labels?: ArrayLike<number>,
  shared = false,
): SortedScores {
  const n = scores.length;
  // Pre-faulted buffers when the worker was handed them (eval's metrics workers), else fresh memory.
  const u32 = (len: number) => warmArray(Uint32Array, len, shared);
  if (labels && n >= 2 ** 31) labels = undefined; // the index then needs all 32 bits
  const f = scores instanceof Float32Array ? scores : Float32Array.from(scores);
  const bits = new Uint32Array(f.buffer, f.byteOffset, n);
  // Map IEEE-754 bits to unsigned integers with the same order: flip all bits of negatives, the sign bit of others.
  let keys = u32(n);
  let idx = u32(n); // row index, shifted left one bit with the label in bit 0 when labels are given
  const counts = new Uint32Array(PASSES * RADIX);
  const shiftIdx = labels ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    const k = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    keys[i] = k;
    idx[i] = labels ? ((i << 1) | (labels[i] ? 1 : 0)) >>> 0 : i;
    counts[k & MASK]++;
    counts[RADIX + ((k >>> BITS) & MASK)]++;
    counts[2 * RADIX + ((k >>> (2 * BITS)) & MASK)]++;
    counts[3 * RADIX + (k >>> (3 * BITS))]++;
  }
  // A digit shared by every row moves nothing.
  const passes: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    let same = false;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[pass * RADIX + b];
      if (c !== 0) {
        same = c === n;
        break;
      }
    }
    if (!same) passes.push(pass);
  }
  let tmpKeys = u32(n),
    tmpIdx = u32(n);
  passes.forEach((pass, p) => {
    const base = pass * RADIX,
      shift = pass * BITS;
    let sum = 0;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    if (p < passes.length - 1) {
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        const dst = counts[base + ((k >>> shift) & MASK)]++;
        tmpKeys[dst] = k;
        tmpIdx[dst] = idx[i];
      }
    } else {
      // Last pass: write float bits, not keys.
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        const dst = counts[base + ((k >>> shift) & MASK)]++;
        tmpKeys[dst] = k & 0x80000000 ? (k ^ 0x80000000) >>> 0 : ~k >>> 0;
        tmpIdx[dst] = idx[i];
      }
    }
    let t = keys;
    keys = tmpKeys;
    tmpKeys = t;
    t = idx;
    idx = tmpIdx;
    tmpIdx = t;
  });
  if (passes.length === 0)
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      keys[i] = k & 0x80000000 ? (k ^ 0x80000000) >>> 0 : ~k >>> 0;
    }
  const sorted = new Float32Array(keys.buffer, keys.byteOffset, n);
  if (!labels) return { order: idx, sorted };
  const ranked = warmArray(Uint8Array, n, shared);
  for (let i = 0; i < n; i++) {
    const v = idx[i];
    ranked[i] = v & 1;
    idx[i] = v >>> shiftIdx;
  }
  return { order: idx, sorted, labels: ranked };
}

export function argsortFloat32(scores: Float32Array | Float64Array): Uint32Array {
  return sortScores(scores).order;
}

/** Order-preserving unsigned key of a float32's bits (as in sortScores). */
export function floatKey(b: number): number {
  return b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
}

/**
 * Sorts unsigned 32-bit keys ascending in place (LSD radix, 8-bit digits, shared digits skipped). Keys only, no
 * index: half the memory traffic of sortScores, for callers that need the sorted values and nothing else.
 */
export function sortKeys(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  const counts = new Uint32Array(PASSES * RADIX);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    counts[k & MASK]++;
    counts[RADIX + ((k >>> BITS) & MASK)]++;
    counts[2 * RADIX + ((k >>> (2 * BITS)) & MASK)]++;
    counts[3 * RADIX + (k >>> (3 * BITS))]++;
  }
  let src: Uint32Array = keys,
    dst: Uint32Array = new Uint32Array(n);
  for (let pass = 0; pass < PASSES; pass++) {
    const base = pass * RADIX,
      shift = pass * BITS;
    let shared = false;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b];
      if (c !== 0) {
        shared = c === n;
        break;
      }
    }
    if (shared) continue;
    let sum = 0;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = src[i];
      dst[counts[base + ((k >>> shift) & MASK)]++] = k;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== keys) keys.set(src);
  return keys;
}
