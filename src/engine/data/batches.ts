/**
 * Streams the evaluation rows from DuckDB in chunks and packs them into model-ready typed arrays, one batch at
 * a time, so memory stays bounded by the batch size whatever the file size.
 */
import type { DuckDBListVector, DuckDBVector } from '@duckdb/node-api';
import { inputError } from '../errors';
import { JobControl, throwIfCancelled } from '../progress';
import { dataReadError, Duck } from './duck';
import { feedArray } from './feedPool';
import type { FeedDtype, InputPlan, PlannedInput } from './inputPlan';
import { DenseIds, Key, KeyColumnIds, normaliseKey } from './keys';
import { denseItems, listChildItems, listHasNulls } from './vectorAccess';

export type FeedArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

export interface Batch {
  /** Index of the first row of this batch in the data (0-based). */
  start: number;
  size: number;
  feeds: Map<string, FeedArray>;
  labels: Uint8Array;
  /** Dense group ids (0..groups-1) or undefined without a group column. */
  groups?: Int32Array;
}

export interface StreamStats {
  rows: number;
  groupKeys: Key[];
  missingKeys: Record<string, { missing: number; total: number }>;
}

/** A zeroed typed array of `n` values of an input's ONNX dtype. */
export function allocate(dtype: FeedDtype, n: number): FeedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int8':
      return new Int8Array(n);
    default:
      return new Uint8Array(n);
  }
}

/** An array like allocate()'s, on a recycled feed buffer when one of its size is free (values not zeroed). */
function pooledFeed(dtype: FeedDtype, n: number): FeedArray {
  switch (dtype) {
    case 'float32':
      return feedArray(Float32Array, n);
    case 'float64':
      return feedArray(Float64Array, n);
    case 'int64':
      return feedArray(BigInt64Array, n);
    case 'int32':
      return feedArray(Int32Array, n);
    case 'int8':
      return feedArray(Int8Array, n);
    default:
      return feedArray(Uint8Array, n);
  }
}

/**
 * Batches of rows; `stats` is complete once the iterator has finished. `keyColumns`: key columns numbered on the
 * way (the automatic slices' user and item ids, which then need no read of their own), each from the plan's column
 * when it selects the same expression, else from one more column of the same SELECT.
 */
export async function* streamBatches(
  duck: Duck,
  plan: InputPlan,
  batchSize: number,
  stats: StreamStats,
  control?: JobControl,
  limit?: number,
  keyColumns: KeyColumnIds[] = [],
): AsyncGenerator<Batch> {
  // No SQL LIMIT: the stream stops after `limit` rows itself (an order-preserving LIMIT makes DuckDB read every row up
  // to it before the first one comes, see limitClause).
  const cap = limit === undefined ? Infinity : Math.max(0, Math.floor(limit));
  const select = [...plan.select];
  const keyIndex = keyColumns.map((k) => {
    const i = select.findIndex((s, c) => s === `${k.expression} AS c${c}`);
    if (i >= 0) return i;
    select.push(`${k.expression} AS c${select.length}`);
    return select.length - 1;
  });
  const sql = `SELECT ${select.join(', ')} FROM ${plan.fromClause}`;
  let result;
  try {
    result = await duck.conn.stream(sql);
  } catch (e) {
    throw dataReadError(plan.file, e);
  }
  // Group ids in first-seen order; stats.groupKeys is its list of distinct keys.
  const groupIndex = new DenseIds();
  stats.groupKeys = groupIndex.distinct;
  for (const inp of plan.inputs)
    if (inp.source.kind === 'table') stats.missingKeys[inp.name] = { missing: 0, total: 0 };

  let batch: Batch | undefined;
  let filled = 0;
  let rowBase = 0;
  const newBatch = (): Batch => {
    const feeds = new Map<string, FeedArray>();
    // On buffers the inference worker gave back when there are some (fillInput writes every value of every row).
    for (const inp of plan.inputs) feeds.set(inp.name, pooledFeed(inp.dtype, batchSize * inp.width));
    return {
      start: rowBase,
      size: 0,
      feeds,
      labels: new Uint8Array(batchSize),
      groups: plan.groupIndex !== undefined ? new Int32Array(batchSize) : undefined,
    };
  };
  const trim = (b: Batch): Batch => {
    if (b.size === batchSize) return b;
    const feeds = new Map<string, FeedArray>();
    for (const inp of plan.inputs)
      feeds.set(inp.name, b.feeds.get(inp.name)!.subarray(0, b.size * inp.width) as FeedArray);
    return { ...b, feeds, labels: b.labels.subarray(0, b.size), groups: b.groups?.subarray(0, b.size) };
  };

  let taken = 0;
  while (taken < cap) {
    throwIfCancelled(control);
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (e) {
      throw dataReadError(plan.file, e);
    }
    if (!chunk || chunk.rowCount === 0) break;
    const n = Math.min(chunk.rowCount, cap - taken);
    taken += n;
    const vec = (i: number): DuckDBVector => chunk!.getColumnVector(i);
    keyColumns.forEach((k, j) => k.add(vec(keyIndex[j]), n));
    let ci = 0;
    while (ci < n) {
      if (!batch) {
        batch = newBatch();
        filled = 0;
      }
      const seg = Math.min(n - ci, batchSize - filled);
      // 1-based data row of chunk row i: rows of earlier batches, rows already in this batch, then this chunk's.
      const firstRow = rowBase + filled - ci + 1;
      const rowNo = (i: number) => firstRow + i;

      const labels = vec(plan.labelIndex);
      const labelItems = denseItems(labels);
      for (let i = ci; i < ci + seg; i++) {
        const v = labelItems ? (labelItems[i] as number) : (labels.getItem(i) as number | null);
        if (v !== 0 && v !== 1) {
          throw inputError(
            `Label column is not binary: data row ${rowNo(i)} of ${plan.file} has ${v === null ? 'a null label' : `label ${v}`}. Labels must be 0 or 1 (or true/false); derive a binary column (e.g. rating >= 4) or filter the rows with data.filter.`,
            { file: plan.file, path: ['data', 'label'] },
          );
        }
        batch.labels[filled + i - ci] = v;
      }
      if (plan.groupIndex !== undefined) {
        const g = vec(plan.groupIndex);
        const groupItems = denseItems(g);
        if (groupItems) groupIndex.idsOf(groupItems, ci, ci + seg, batch.groups!, filled);
        else
          for (let i = ci; i < ci + seg; i++) {
            const raw = g.getItem(i);
            const key = raw === null ? '(null)' : typeof raw === 'number' ? raw : normaliseKey(raw);
            batch.groups![filled + i - ci] = groupIndex.id(key);
          }
      }
      for (const inp of plan.inputs)
        fillInput(inp, batch.feeds.get(inp.name)!, vec, ci, seg, filled, rowNo, plan.file, stats);
      filled += seg;
      batch.size = filled;
      ci += seg;
      if (filled === batchSize) {
        rowBase += filled;
        const done = batch;
        batch = undefined;
        yield done;
      }
    }
  }
  if (batch && batch.size > 0) {
    rowBase += batch.size;
    yield trim(batch);
  }
  stats.rows = rowBase;
}

type RowNo = (i: number) => number;

/** Keys below this (non-negative integers) of a table's index also get a typed index. */
const SMALL_KEYS = 1 << 22;
const smallIndexes = new WeakMap<Map<Key, number>, Int32Array>();

/**
 * The rows of a table's small non-negative integer keys, row + 1 by key (0: not in the table), built once per
 * table: the typed read replaces a Map lookup per data row (item ids, the common table key). Keys of any other kind
 * stay in the Map only; a key beyond the array's end is looked up there.
 */
export function smallKeyRows(index: Map<Key, number>): Int32Array {
  let small = smallIndexes.get(index);
  if (small) return small;
  let top = -1;
  for (const k of index.keys()) if (typeof k === 'number' && k >>> 0 === k && k < SMALL_KEYS && k > top) top = k;
  small = new Int32Array(top + 1);
  for (const [k, row] of index) if (typeof k === 'number' && k >>> 0 === k && k < SMALL_KEYS) small[k] = row + 1;
  smallIndexes.set(index, small);
  return small;
}

/**
 * A list vector's (offset, length) pairs as 32-bit words (offset low, high, length low, high per row), read from the
 * BigUint64 entries @duckdb/node-api keeps (getEntryOffset / getEntryLength make a BigInt per call). Undefined when
 * the field is not there; callers then use the public getters.
 */
function listEntryWords(v: DuckDBListVector): Uint32Array | undefined {
  const e = (v as unknown as { entryData?: unknown }).entryData;
  if (!(e instanceof BigUint64Array)) return undefined;
  return new Uint32Array(e.buffer, e.byteOffset, e.length * 2);
}

function nullError(inp: PlannedInput, column: string, rowNo: number, file: string): Error {
  return inputError(
    `Null value in data row ${rowNo} of ${file}, column "${column}", feeding model input "${inp.name}". Fill the nulls in the data, or set "fillNull" on inputs.${inp.name}.`,
    { file, path: inp.configPath },
  );
}

function fillInput(
  inp: PlannedInput,
  out: FeedArray,
  vec: (i: number) => DuckDBVector,
  ci: number,
  seg: number,
  filled: number,
  rowNo: RowNo,
  file: string,
  stats: StreamStats,
): void {
  const w = inp.width;
  if (inp.source.kind === 'table') {
    const { table } = inp.source;
    const keys = vec(inp.source.keyIndex);
    const dense = denseItems(keys);
    const miss = stats.missingKeys[inp.name];
    const f = out as Float32Array;
    const { vectors, fallback } = table;
    // Rows copied as 32-bit words (every bit kept, no subarray per row) when both arrays allow it.
    const words = out instanceof Float32Array && f.byteOffset % 4 === 0 && vectors.byteOffset % 4 === 0;
    const f32 = words ? new Int32Array(f.buffer, f.byteOffset, f.length) : undefined;
    const v32 = words ? new Int32Array(vectors.buffer, vectors.byteOffset, vectors.length) : undefined;
    const small = smallKeyRows(table.index);
    for (let i = ci; i < ci + seg; i++) {
      const raw = dense ? dense[i] : keys.getItem(i);
      let row: number | undefined;
      // A small integer key: its row from the typed index (0 = not in the table), without a Map lookup.
      if (typeof raw === 'number' && raw >>> 0 === raw && raw < small.length) row = small[raw] - 1;
      else row = raw === null ? undefined : table.index.get(typeof raw === 'number' ? raw : normaliseKey(raw));
      const dst = (filled + i - ci) * w;
      if (row === undefined || row < 0) {
        f.set(fallback, dst);
        miss.missing++;
      } else if (f32 && v32 && w <= 64) for (let j = 0, src = row * w; j < w; j++) f32[dst + j] = v32[src + j];
      else f.set(vectors.subarray(row * w, (row + 1) * w), dst);
    }
    miss.total += seg;
    return;
  }
  const { fillNull } = inp.source;
  const isBig = out instanceof BigInt64Array;
  const fill = fillNull === undefined ? undefined : isBig ? BigInt(Math.trunc(fillNull)) : fillNull;
  let k = 0; // offset of this part within the row
  for (const part of inp.source.parts) {
    const v = vec(part.index);
    if (part.list)
      fillList(inp, part.column, part.width, v as DuckDBListVector, out, ci, seg, filled, w, k, fill, rowNo, file);
    else {
      const dense = denseItems(v);
      if (dense && w === 1 && dense.constructor === out.constructor) {
        (out as Float32Array).set(dense.subarray(ci, ci + seg) as Float32Array, filled);
      } else if (dense && dense instanceof BigInt64Array === isBig) {
        for (let i = ci; i < ci + seg; i++) out[(filled + i - ci) * w + k] = dense[i] as never;
      } else {
        for (let i = ci; i < ci + seg; i++) {
          let x = v.getItem(i) as number | bigint | boolean | null;
          if (x === null) {
            if (fill === undefined) throw nullError(inp, part.column, rowNo(i), file);
            x = fill;
          }
          const dst = (filled + i - ci) * w + k;
          if (isBig) out[dst] = typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x)));
          else (out as Float32Array)[dst] = typeof x === 'boolean' ? (x ? 1 : 0) : Number(x);
        }
      }
    }
    k += part.width;
  }
}

/** Copies each row's list values (all of the same length) into its slice of the input. */
function fillList(
  inp: PlannedInput,
  column: string,
  width: number,
  v: DuckDBListVector,
  out: FeedArray,
  ci: number,
  seg: number,
  filled: number,
  w: number,
  k: number,
  fill: number | bigint | undefined,
  rowNo: RowNo,
  file: string,
): void {
  const child = listHasNulls(v) ? undefined : listChildItems(v);
  const sameType = child !== undefined && child.constructor === out.constructor;
  const words = child && sameType ? listEntryWords(v) : undefined;
  if (child && words && w === width && words.length >= (ci + seg) * 4) {
    // Rows laid out back to back in the child (how DuckDB hands over a Parquet list column), each holding the
    // input's whole row: one copy for the segment instead of a subarray and a BigInt offset per row. Any other
    // layout, or a row of another length (the loop below names it), takes the row-by-row path.
    const first = words[ci * 4];
    let contiguous = true;
    for (let i = ci; contiguous && i < ci + seg; i++) {
      const q = i * 4;
      contiguous =
        words[q] === first + (i - ci) * width && words[q + 1] === 0 && words[q + 2] === width && words[q + 3] === 0;
    }
    if (contiguous && first + seg * width <= child.length) {
      (out as Float32Array).set((child as Float32Array).subarray(first, first + seg * width), filled * w);
      return;
    }
  }
  for (let i = ci; i < ci + seg; i++) {
    const dst = (filled + i - ci) * w + k;
    if (child) {
      const off = v.getEntryOffset(i);
      const len = v.getEntryLength(i);
      if (len !== width)
        throw inputError(
          `Data row ${rowNo(i)} of ${file}: list column "${column}" holds ${len} values, but input "${inp.name}" takes ${width}. Every row must hold ${width}.`,
          { file, path: inp.configPath },
        );
      if (sameType) (out as Float32Array).set((child as Float32Array).subarray(off, off + width), dst);
      else for (let j = 0; j < width; j++) out[dst + j] = child[off + j] as never;
      continue;
    }
    const items = (v.getItem(i) as { items: (number | bigint | null)[] } | null)?.items;
    if (!items) {
      if (fill === undefined) throw nullError(inp, column, rowNo(i), file);
      for (let j = 0; j < width; j++) out[dst + j] = fill as never;
      continue;
    }
    if (items.length !== width)
      throw inputError(
        `Data row ${rowNo(i)} of ${file}: list column "${column}" holds ${items.length} values, but input "${inp.name}" takes ${width}. Every row must hold ${width}.`,
        { file, path: inp.configPath },
      );
    for (let j = 0; j < width; j++) {
      let x = items[j];
      if (x === null) {
        if (fill === undefined) throw nullError(inp, `${column}[${j + 1}]`, rowNo(i), file);
        x = fill;
      }
      out[dst + j] = (
        out instanceof BigInt64Array ? (typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x)))) : Number(x)
      ) as never;
    }
  }
}
