/**
 * All evaluation rows built once into model-ready columns (n x width per input). Ablations, ceilings and probes
 * score the same rows many times with a few inputs changed; building the unchanged inputs once is what keeps
 * S slots x R repeats near S*R+1 inference passes.
 */
import { JobControl, report } from '../progress';
import type { Workspace } from '../workspace';
import { Batch, FeedArray, StreamStats, streamBatches } from './batches';
import type { PlannedInput } from './inputPlan';
import type { Key } from './keys';

export interface Materialized {
  rows: number;
  inputs: PlannedInput[];
  columns: Map<string, FeedArray>;
  labels: Uint8Array;
  groups?: Int32Array;
  groupCount: number;
  groupKeys: Key[];
  stats: StreamStats;
}

function concat(parts: FeedArray[], total: number): FeedArray {
  const Ctor = parts[0].constructor as new (n: number) => FeedArray;
  const out = new Ctor(total);
  let o = 0;
  for (const p of parts) { (out as Float32Array).set(p as Float32Array, o); o += p.length; }
  return out;
}

export async function materialize(ws: Workspace, control?: JobControl, limit?: number): Promise<Materialized> {
  const stats: StreamStats = { rows: 0, groupKeys: [], missingKeys: {} };
  const batches: Batch[] = [];
  const total = Math.min(ws.data.rows, limit ?? Infinity);
  for await (const b of streamBatches(ws.duck, ws.plan, 65536, stats, control, limit)) {
    batches.push(b);
    report(control, { phase: 'reading', done: b.start + b.size, total });
  }
  const n = stats.rows;
  const columns = new Map<string, FeedArray>();
  for (const inp of ws.plan.inputs) columns.set(inp.name, concat(batches.map((b) => b.feeds.get(inp.name)!), n * inp.width));
  const labels = concat(batches.map((b) => b.labels), n) as Uint8Array;
  const groups = ws.plan.groupIndex !== undefined ? (concat(batches.map((b) => b.groups!), n) as Int32Array) : undefined;
  return { rows: n, inputs: ws.plan.inputs, columns, labels, groups, groupCount: stats.groupKeys.length, groupKeys: stats.groupKeys, stats };
}

/** A copy of rows [start, end) of a column (copies, because batches are transferred to the inference worker). */
export function sliceRows(col: FeedArray, width: number, start: number, end: number): FeedArray {
  return col.slice(start * width, end * width) as FeedArray;
}
