/**
 * Columnar storage for LIS's preference pairs and the per-row index the features walk (docs/performance.md):
 * items as dense ids, pairs in typed arrays hashed once by their two ids, histories as Int32Arrays. Replaces the
 * per-pair JavaScript Maps that made `lis` slow and memory-hungry at 1M rows; the arithmetic is unchanged, so the
 * features come out bit for bit as before.
 */
import type { Key } from '../data/keys';

/** Dense ids for item keys, in order of first sight. */
export class ItemIds {
  readonly ids = new Map<Key, number>();
  readonly keys: Key[] = [];
  id(k: Key): number {
    let v = this.ids.get(k);
    if (v === undefined) {
      v = this.keys.length;
      this.ids.set(k, v);
      this.keys.push(k);
    }
    return v;
  }
  get(k: Key): number {
    return this.ids.get(k) ?? -1;
  }
  get size(): number {
    return this.keys.length;
  }
}

const hashPair = (lo: number, hi: number) => {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
};

/**
 * Unordered item pairs (a != b) with two weights each (leaked, historical), in order of first insertion. Open
 * addressing over Int32Array slots; grows by doubling.
 */
export class PairStore {
  size = 0;
  /** The pair's two ids in the order it was first added. */
  a: Int32Array;
  b: Int32Array;
  wLeak: Float64Array;
  wHist: Float64Array;
  private slots: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity);
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.wLeak = new Float64Array(cap);
    this.wHist = new Float64Array(cap);
    let slots = 32;
    while (slots < cap * 2) slots *= 2;
    this.slots = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
  }

  /** Index of the pair {a, b}, or -1. */
  find(a: number, b: number): number {
    const lo = a < b ? a : b,
      hi = a < b ? b : a;
    let s = hashPair(lo, hi) & this.mask;
    for (;;) {
      const k = this.slots[s];
      if (k < 0) return -1;
      if (this.same(k, lo, hi)) return k;
      s = (s + 1) & this.mask;
    }
  }

  private same(k: number, lo: number, hi: number): boolean {
    const x = this.a[k],
      y = this.b[k];
    return (x === lo && y === hi) || (x === hi && y === lo);
  }

  /** Index of the pair {a, b}, inserted with zero weights when new. May grow (replace) the arrays: call it first. */
  add(a: number, b: number): number {
    const lo = a < b ? a : b,
      hi = a < b ? b : a;
    let s = hashPair(lo, hi) & this.mask;
    for (;;) {
      const k = this.slots[s];
      if (k < 0) break;
      if (this.same(k, lo, hi)) return k;
      s = (s + 1) & this.mask;
    }
    if (this.size === this.a.length) {
      this.grow();
      return this.add(a, b);
    }
    const k = this.size++;
    this.a[k] = a;
    this.b[k] = b;
    this.slots[s] = k;
    return k;
  }

  private grow(): void {
    const cap = this.a.length * 2;
    const copy = <T extends Int32Array | Float64Array>(x: T, make: (n: number) => T) => {
      const y = make(cap);
      y.set(x);
      return y;
    };
    this.a = copy(this.a, (n) => new Int32Array(n));
    this.b = copy(this.b, (n) => new Int32Array(n));
    this.wLeak = copy(this.wLeak, (n) => new Float64Array(n));
    this.wHist = copy(this.wHist, (n) => new Float64Array(n));
    this.slots = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
    for (let k = 0; k < this.size; k++) {
      const x = this.a[k],
        y = this.b[k];
      let s = (x < y ? hashPair(x, y) : hashPair(y, x)) & this.mask;
      while (this.slots[s] >= 0) s = (s + 1) & this.mask;
      this.slots[s] = k;
    }
  }
}

/** Weights a pair counts with: its whole weight when that reaches minCount (and is above 0), else 0. */
export function thresholded(w: Float64Array, size: number, minCount: number): { weights: Float64Array; pairs: number } {
  const out = new Float64Array(size);
  let pairs = 0;
  for (let k = 0; k < size; k++)
    if (w[k] > 0 && w[k] >= minCount) {
      out[k] = w[k];
      pairs++;
    }
  return { weights: out, pairs };
}

/** Symmetric adjacency item -> partner -> weight (for alignment and substitution), in the order pairs were added. */
export function neighbourMap(store: PairStore, weights: Float64Array, items: ItemIds): Map<Key, Map<Key, number>> {
  const out = new Map<Key, Map<Key, number>>();
  for (let k = 0; k < store.size; k++) {
    const w = weights[k];
    if (w === 0) continue;
    // Same insertion order as the former addPair: (a, b) as first seen, then (b, a).
    const a = items.keys[store.a[k]],
      b = items.keys[store.b[k]];
    for (const [p, q] of [
      [a, b],
      [b, a],
    ] as const) {
      let m = out.get(p);
      if (!m) {
        m = new Map();
        out.set(p, m);
      }
      m.set(q, (m.get(q) ?? 0) + w);
    }
  }
  return out;
}
