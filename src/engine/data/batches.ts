/**
 * Streams the evaluation rows from DuckDB in chunks and packs them into model-ready typed arrays, one batch at
 * a time, so memory stays bounded by the batch size whatever the file size.
 */
import type { DuckDBVector } from '@duckdb/node-api';
import { inputError } from '../errors';
import { JobControl, throwIfCancelled } from '../progress';
import { dataReadError, Duck } from './duck';
import type { FeedDtype, InputPlan, PlannedInput } from './inputPlan';
import { Key, normaliseKey } from './keys';

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

function allocate(dtype: FeedDtype, n: number): FeedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'int32': return new Int32Array(n);
    case 'int8': return new Int8Array(n);
    default: return new Uint8Array(n);
  }
}

/** Batches of rows; `stats` is complete once the iterator has finished. */
export async function* streamBatches(duck: Duck, plan: InputPlan, batchSize: number, stats: StreamStats, control?: JobControl, limit?: number): AsyncGenerator<Batch> {
  const sql = `SELECT ${plan.select.join(', ')} FROM ${plan.fromClause}${limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : ''}`;
  let result;
  try {
    result = await duck.conn.stream(sql);
  } catch (e) {
    throw dataReadError(plan.file, e);
  }
  const groupIndex = new Map<Key, number>();
  for (const inp of plan.inputs) if (inp.source.kind === 'table') stats.missingKeys[inp.name] = { missing: 0, total: 0 };

  let batch: Batch | undefined;
  let filled = 0;
  let rowBase = 0;
  const newBatch = (): Batch => {
    const feeds = new Map<string, FeedArray>();
    for (const inp of plan.inputs) feeds.set(inp.name, allocate(inp.dtype, batchSize * inp.width));
    return { start: rowBase, size: 0, feeds, labels: new Uint8Array(batchSize), groups: plan.groupIndex !== undefined ? new Int32Array(batchSize) : undefined };
  };
  const trim = (b: Batch): Batch => {
    if (b.size === batchSize) return b;
    const feeds = new Map<string, FeedArray>();
    for (const inp of plan.inputs) feeds.set(inp.name, b.feeds.get(inp.name)!.subarray(0, b.size * inp.width) as FeedArray);
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
      if (!batch) { batch = newBatch(); filled = 0; }
      const seg = Math.min(n - ci, batchSize - filled);
      const rowNo = (i: number) => rowBase + i - ci + 1; // 1-based data row of chunk row i

      const labels = vec(plan.labelIndex);
      for (let i = ci; i < ci + seg; i++) {
        const v = labels.getItem(i) as number | null;
        if (v !== 0 && v !== 1) {
          throw inputError(`Label column is not binary: data row ${rowNo(i)} of ${plan.file} has ${v === null ? 'a null label' : `label ${v}`}. Labels must be 0 or 1 (or true/false); derive a binary column (e.g. rating >= 4) or filter the rows with data.filter.`, { file: plan.file, path: ['data', 'label'] });
        }
        batch.labels[filled + i - ci] = v;
      }
      if (plan.groupIndex !== undefined) {
        const g = vec(plan.groupIndex);
        for (let i = ci; i < ci + seg; i++) {
          const raw = g.getItem(i);
          const key = raw === null ? '(null)' : normaliseKey(raw);
          let id = groupIndex.get(key);
          if (id === undefined) { id = groupIndex.size; groupIndex.set(key, id); stats.groupKeys.push(key); }
          batch.groups![filled + i - ci] = id;
        }
      }
      for (const inp of plan.inputs) fillInput(inp, batch.feeds.get(inp.name)!, vec, ci, seg, filled, rowNo, plan.file, stats);
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

function fillInput(
  inp: PlannedInput, out: FeedArray, vec: (i: number) => DuckDBVector, ci: number, seg: number, filled: number,
  rowNo: (i: number) => number, file: string, stats: StreamStats,
): void {
  const w = inp.width;
  if (inp.source.kind === 'table') {
    const { table } = inp.source;
    const keys = vec(Number(inp.source.keyAlias.slice(1)));
    const miss = stats.missingKeys[inp.name];
    for (let i = ci; i < ci + seg; i++) {
      const raw = keys.getItem(i);
      const row = raw === null ? undefined : table.index.get(normaliseKey(raw));
      const dst = (filled + i - ci) * w;
      const f = out as Float32Array;
      if (row === undefined) { f.set(table.fallback, dst); miss.missing++; }
      else f.set(table.vectors.subarray(row * w, (row + 1) * w), dst);
    }
    miss.total += seg;
    return;
  }
  const { aliases, fillNull } = inp.source;
  const isBig = out instanceof BigInt64Array;
  for (let k = 0; k < aliases.length; k++) {
    const v = vec(Number(aliases[k].slice(1)));
    for (let i = ci; i < ci + seg; i++) {
      let x = v.getItem(i) as number | bigint | boolean | null;
      if (x === null) {
        if (fillNull === undefined) {
          throw inputError(`Null value in data row ${rowNo(i)} of ${file}, in ${inp.source.columns.length === 1 ? `column "${inp.source.columns[0]}"` : `columns ${inp.source.columns.join(', ')}`} (value ${k + 1} of ${w}) feeding model input "${inp.name}". Fill the nulls in the data, or set "fillNull" on inputs.${inp.name}.`, { file, path: inp.configPath });
        }
        x = fillNull;
      }
      const dst = (filled + i - ci) * w + k;
      if (isBig) out[dst] = typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x)));
      else (out as Float32Array)[dst] = typeof x === 'boolean' ? (x ? 1 : 0) : Number(x);
    }
  }
}
