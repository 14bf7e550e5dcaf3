/**
 * All evaluation rows built once into model-ready columns (n x width per input). Ablations, ceilings and probes
 * score the same rows many times with a few inputs changed; building the unchanged inputs once is what keeps
 * S slots x R repeats near S*R+1 inference passes. Built rows are reused by the next job on the same data and plan
 * (rowCache.ts); large row sets live on disk, not in memory.
 */
import { JobControl, report } from '../progress';
import type { Workspace } from '../workspace';
import { Batch, FeedArray, StreamStats, streamBatches } from './batches';
import type { PlannedInput } from './inputPlan';
import type { Key } from './keys';
import {
  CachedRows,
  DecodedColumns,
  recallRows,
  rememberRows,
  holdRowSet,
  rowCacheKey,
  spillThresholdBytes,
  SpillWriter,
} from './rowCache';

export interface Materialized {
  rows: number;
  inputs: PlannedInput[];
  /** Whole columns by input name (get), or any rows of them (read). */
  columns: DecodedColumns;
  labels: Uint8Array;
  groups?: Int32Array;
  groupCount: number;
  groupKeys: Key[];
  stats: StreamStats;
  /** True when the rows came from an earlier job's decoding (no file read). */
  reused: boolean;
  /**
   * Lets the row set go once the job has read it for the last time (rowCache.ts holdRowSet): call it in a `finally`,
   * so that a failed or cancelled job releases too. Until then the cache's bounds never remove it. Idempotent.
   */
  release(): void;
}

const READ_BATCH = 65536;

/** Decoded rows of this workspace from an earlier job, held until released (see Materialized), or undefined. */
export function reusedRows(ws: Workspace, limit?: number): Materialized | undefined {
  const key = rowCacheKey(ws.config, ws.plan, limit);
  const cached = recallRows(key, ws.config, ws.plan.inputs);
  return cached ? { ...cached, inputs: ws.plan.inputs, reused: true, release: holdRowSet(ws.config, key) } : undefined;
}

/**
 * Collects decoded batches into a reusable row set: in memory, or appended to a spill file when the rows are
 * large. add() must see each batch before its buffers are transferred to the inference worker.
 */
export class RowCollector {
  readonly key: string;
  private readonly spill?: SpillWriter;
  /** In-memory columns, sized for the expected row count and filled in place (one copy per batch, no join). */
  private readonly columns = new Map<string, FeedArray>();
  private labels: Uint8Array;
  private groups?: Int32Array;

  /**
   * `writeLater`: spill writes go to a libuv thread (SpillWriter.appendLater: add() returns a promise to await
   * before the next batch, and the collector must end with finishLater or abort). For eval, whose decoding thread
   * is its critical path; materialize() keeps the synchronous writes.
   */
  constructor(
    private readonly ws: Workspace,
    limit: number | undefined,
    private readonly writeLater = false,
  ) {
    this.key = rowCacheKey(ws.config, ws.plan, limit);
    const total = Math.min(ws.data.rows, limit ?? Infinity);
    const rowBytes = ws.plan.inputs.reduce((a, i) => a + i.width * new (allocCtor(i.dtype))(0).BYTES_PER_ELEMENT, 0);
    if (total * rowBytes > spillThresholdBytes()) this.spill = new SpillWriter(ws.config, this.key, ws.plan.inputs);
    else for (const i of ws.plan.inputs) this.columns.set(i.name, new (allocCtor(i.dtype))(total * i.width));
    this.labels = new Uint8Array(total);
    if (ws.plan.groupIndex !== undefined) this.groups = new Int32Array(total);
  }

  add(b: Batch): void | Promise<void> {
    const end = b.start + b.size;
    let written: Promise<void> | undefined;
    if (this.spill && this.writeLater) written = this.spill.appendLater(b.start, b.feeds, b.labels, b.groups);
    else if (this.spill) this.spill.append(b.feeds, b.labels, b.groups);
    else {
      for (const inp of this.ws.plan.inputs) {
        const col = grow(this.columns.get(inp.name)!, end * inp.width);
        this.columns.set(inp.name, col);
        (col as Float32Array).set(b.feeds.get(inp.name)! as Float32Array, b.start * inp.width);
      }
    }
    this.labels = grow(this.labels, end);
    this.labels.set(b.labels, b.start);
    if (b.groups && this.groups) {
      this.groups = grow(this.groups, end);
      this.groups.set(b.groups, b.start);
    }
    return written;
  }

  /** Drops the rows (a spill in progress is removed once its writes are done). */
  abort(): void {
    if (this.writeLater) this.spill?.abortLater().catch(() => undefined);
    else this.spill?.abort();
  }

  /** The complete row set (remembered for the next job); not held: its release() does nothing (see materialize). */
  finish(stats: StreamStats): Materialized {
    return this.complete(stats, this.spill?.finish(this.manifest(stats)));
  }

  /** finish() for a collector with writeLater: waits for the spill's writes (they ran during the scoring). */
  async finishLater(stats: StreamStats): Promise<Materialized> {
    return this.complete(stats, await this.spill?.finishLater(this.manifest(stats)));
  }

  private manifest(stats: StreamStats) {
    return {
      rows: stats.rows,
      groupCount: stats.groupKeys.length,
      groupKeys: stats.groupKeys,
      stats,
      grouped: this.groups !== undefined,
    };
  }

  private complete(stats: StreamStats, dir: string | undefined): Materialized {
    const { ws } = this;
    const n = stats.rows;
    const labels = fit(this.labels, n);
    const groups = this.groups ? fit(this.groups, n) : undefined;
    let columns: DecodedColumns;
    if (dir !== undefined) {
      columns = new DecodedColumns(ws.plan.inputs, n, undefined, dir);
    } else {
      const mem = new Map<string, FeedArray>();
      for (const inp of ws.plan.inputs) mem.set(inp.name, fit(this.columns.get(inp.name)!, n * inp.width));
      this.columns.clear();
      columns = new DecodedColumns(ws.plan.inputs, n, mem);
    }
    const rows: CachedRows = {
      rows: n,
      labels,
      groups,
      groupCount: stats.groupKeys.length,
      groupKeys: stats.groupKeys,
      stats,
      columns,
    };
    if (n > 0) rememberRows(this.key, rows, ws.plan.inputs);
    return { ...rows, inputs: ws.plan.inputs, reused: false, release: () => undefined };
  }
}

/** `a`, or a larger copy of it when it is shorter than n (the row count is known up front, so this rarely runs). */
function grow<T extends FeedArray>(a: T, n: number): T {
  if (a.length >= n) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  (b as Float32Array).set(a as Float32Array);
  return b;
}

/** The first n values, as an array of exactly that length (a copy only when there were fewer rows than expected). */
function fit<T extends FeedArray>(a: T, n: number): T {
  return a.length === n ? a : (a.slice(0, n) as T);
}

/** The workspace's decoded rows (reused, or read now), held until the caller releases them (see Materialized). */
export async function materialize(ws: Workspace, control?: JobControl, limit?: number): Promise<Materialized> {
  const cached = reusedRows(ws, limit);
  if (cached) return cached;
  const stats: StreamStats = { rows: 0, groupKeys: [], missingKeys: {} };
  const total = Math.min(ws.data.rows, limit ?? Infinity);
  const collector = new RowCollector(ws, limit);
  try {
    for await (const b of streamBatches(ws.duck, ws.plan, READ_BATCH, stats, control, limit)) {
      collector.add(b);
      report(control, { phase: 'reading', done: b.start + b.size, total });
    }
  } catch (e) {
    collector.abort();
    throw e;
  }
  const mat = collector.finish(stats);
  return { ...mat, release: holdRowSet(ws.config, collector.key) }; // read again by the job's passes: held
}

function allocCtor(dtype: PlannedInput['dtype']): new (n: number) => FeedArray {
  switch (dtype) {
    case 'float32':
      return Float32Array;
    case 'float64':
      return Float64Array;
    case 'int64':
      return BigInt64Array;
    case 'int32':
      return Int32Array;
    case 'int8':
      return Int8Array;
    default:
      return Uint8Array;
  }
}

/** A copy of rows [start, end) of a column (copies, because batches are transferred to the inference worker). */
export function sliceRows(col: FeedArray, width: number, start: number, end: number): FeedArray {
  return col.slice(start * width, end * width) as FeedArray;
}
