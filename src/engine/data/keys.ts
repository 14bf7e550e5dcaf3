import type { DuckDBVector } from '@duckdb/node-api';
import { denseItems } from './vectorAccess';

/** Lookup keys compare as numbers when they look like integers, so 42, 42n and "42" meet in one Map. */
export type Key = number | string;

export function normaliseKey(v: unknown): Key {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const s = String(v);
  return /^-?\d{1,15}$/.test(s) ? Number(s) : s;
}

/** Keys below this (non-negative integers) are looked up in a typed table instead of the Map. */
const TABLE_LIMIT = 1 << 22;

/**
 * Dense ids 0, 1, 2, ... for keys in first-seen order, with their distinct keys: the same ids and keys as a
 * Map<Key, number> lookup per row, but small non-negative integer keys (user and item ids, the common case) go
 * through a typed table (id + 1 per key, 0 = not seen), which costs a few ns a row where the Map lookup of every
 * row of a 1M-row eval cost ~0.3 s of the decoding thread (docs/performance.md, Round 7). Every key takes one path
 * whatever came before it, so the two never disagree; -0 shares 0's slot as it shares the Map's.
 */
export class DenseIds {
  readonly distinct: Key[] = [];
  private readonly map = new Map<Key, number>();
  private table = new Int32Array(0);

  get size(): number {
    return this.distinct.length;
  }

  /** The id of `key`, a new one when it was not seen. */
  id(key: Key): number {
    if (typeof key === 'number' && key >>> 0 === key && key < TABLE_LIMIT) return this.small(key);
    let id = this.map.get(key);
    if (id === undefined) {
      id = this.distinct.length;
      this.map.set(key, id);
      this.distinct.push(key);
    }
    return id;
  }

  private small(key: number): number {
    if (key >= this.table.length) {
      const grown = new Int32Array(Math.min(TABLE_LIMIT, Math.max(key + 1, this.table.length * 2, 1024)));
      grown.set(this.table);
      this.table = grown;
    }
    const t = this.table[key];
    if (t !== 0) return t - 1;
    const id = this.distinct.length;
    this.table[key] = id + 1;
    this.distinct.push(key);
    return id;
  }

  /**
   * out[at + i - from] = id of values[i] for i in [from, to): numeric keys as they are, 64-bit integers as
   * normaliseKey reads them (Number(v)).
   */
  idsOf(
    values: ArrayLike<number> | BigInt64Array,
    from: number,
    to: number,
    out: Int32Array | Uint32Array,
    at: number,
  ): void {
    if (values instanceof BigInt64Array) {
      for (let i = from; i < to; i++) out[at + i - from] = this.id(Number(values[i]));
      return;
    }
    let t = this.table;
    for (let i = from; i < to; i++) {
      const key = values[i];
      let id: number;
      if (key >>> 0 === key && key < t.length && t[key] !== 0) id = t[key] - 1;
      else {
        id = this.id(key);
        t = this.table;
      }
      out[at + i - from] = id;
    }
  }
}

/**
 * Dense ids of one key column read by a DuckDB stream, chunk by chunk, in the stream's row order: the typed path
 * (DenseIds.idsOf over DuckDB's value array) when a chunk's vector has no nulls, else normaliseKey per row (a null
 * key is normaliseKey(null), as the automatic slices' own read numbered it). `expression` is the SQL the stream
 * selects for it (lis/evalKeys.ts keyExpression of the column).
 */
export class KeyColumnIds {
  readonly keys = new DenseIds();
  private out: Uint32Array;
  private rows = 0;

  constructor(
    readonly expression: string,
    expectedRows: number,
  ) {
    this.out = new Uint32Array(Math.max(0, expectedRows));
  }

  /** Appends the ids of rows [0, m) of `v` (the next m rows of the stream). */
  add(v: DuckDBVector, m: number): void {
    if (this.rows + m > this.out.length) {
      const grown = new Uint32Array(Math.max(this.rows + m, this.out.length * 2));
      grown.set(this.out.subarray(0, this.rows));
      this.out = grown;
    }
    idsOfVector(v, m, this.keys, this.out, this.rows);
    this.rows += m;
  }

  /** The ids of the rows so far, and their distinct keys in first-seen order. */
  get ids(): { distinct: Key[]; ids: Uint32Array } {
    return { distinct: this.keys.distinct, ids: this.out.subarray(0, this.rows) };
  }
}

/** Ids of rows [0, m) of one key vector, written from row `at` of `out`. */
export function idsOfVector(v: DuckDBVector, m: number, ids: DenseIds, out: Uint32Array, at: number): void {
  const dense = denseItems(v);
  if (dense) {
    ids.idsOf(dense, 0, m, out, at);
    return;
  }
  for (let i = 0; i < m; i++) out[at + i] = ids.id(normaliseKey(v.getItem(i) as never));
}
