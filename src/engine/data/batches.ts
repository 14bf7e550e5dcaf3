/**
 * Streams the evaluation rows from DuckDB in chunks and packs them into model-ready typed arrays, one batch at
 * a time, so memory stays bounded by the batch size whatever the file size.
 */
import type { DuckDBListVector, DuckDBVector } from '@duckdb/node-api';
import { inputError } from '../errors';
import { JobControl, throwIfCancelled } from '../progress';
import { dataReadError, Duck } from './duck';
import type { FeedDtype, InputPlan, PlannedInput } from './inputPlan';
import { Key, normaliseKey } from './keys';
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

/** Batches of rows; `stats` is complete once the iterator has finished. */
export async function* streamBatches(
  duck: Duck,
  plan: InputPlan,
  batchSize: number,
  stats: StreamStats,
  control?: JobControl,
  limit?: number,
): AsyncGenerator<Batch> {
  const sql = `SELECT ${plan.select.join(', ')} FROM ${plan.fromClause}${limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : ''}`;
  let result;
  try {
    result = await duck.conn.stream(sql);
  } catch (e) {
    throw dataReadError(plan.file, e);
  }
  const groupIndex = new Map<Key, number>();
  for (const inp of plan.inputs)
    if (inp.source.kind === 'table') stats.missingKeys[inp.name] = { missing: 0, total: 0 };

  let batch: Batch | undefined;
  let filled = 0;
  let rowBase = 0;
  const newBatch = (): Batch => {
    const feeds = new Map<string, FeedArray>();
    for (const inp of plan.inputs) feeds.set(inp.name, allocate(inp.dtype, batchSize * inp.width));
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

  for (;;) {
    throwIfCancelled(control);
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (e) {
      throw dataReadError(plan.file, e);
    }
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const vec = (i: number): DuckDBVector => chunk!.getColumnVector(i);
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
        for (let i = ci; i < ci + seg; i++) {
          const raw = groupItems ? groupItems[i] : g.getItem(i);
          const key = raw === null ? '(null)' : typeof raw === 'number' ? raw : normaliseKey(raw);
          let id = groupIndex.get(key);
          if (id === undefined) {
            id = groupIndex.size;
            groupIndex.set(key, id);
            stats.groupKeys.push(key);
          }
          batch.groups![filled + i - ci] = id;
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
    for (let i = ci; i < ci + seg; i++) {
      const raw = dense ? dense[i] : keys.getItem(i);
      const row = raw === null ? undefined : table.index.get(typeof raw === 'number' ? raw : normaliseKey(raw));
      const dst = (filled + i - ci) * w;
      if (row === undefined) {
        f.set(table.fallback, dst);
        miss.missing++;
      } else f.set(table.vectors.subarray(row * w, (row + 1) * w), dst);
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
