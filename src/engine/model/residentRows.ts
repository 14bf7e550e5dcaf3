/**
 * Rows the inference worker keeps for a job's passes (ablation: 1 + S*R passes over the same rows). Without them
 * every batch of every pass copied each unchanged input into fresh arrays and posted them to the worker
 * (onnxruntime-node rejects SharedArrayBuffer-backed tensors, so the decoded rows cannot simply be shared). With
 * them the inputs are copied to the worker once per job, and a pass sends only the inputs it changes; the others
 * are views of the kept columns (a tensor on a subarray: onnxruntime-node reads it in place).
 *
 * Memory stays bounded: the worker keeps at most `keptRowsBudgetBytes()` (whole batches of the first rows, when
 * they are at least half of them); rows beyond it are fed as before.
 */
import type { FeedDtype, PlannedInput } from '../data/inputPlan';
import type { DecodedColumns } from '../data/rowCache';
import type { RemoteSession } from './remoteSession';

const BYTES: Record<FeedDtype, number> = { float32: 4, float64: 8, int64: 8, int32: 4, bool: 1, uint8: 1, int8: 1 };

/** At most this many bytes of rows are kept in the worker (RECLENS_KEPT_ROWS_MIB overrides, for tests). */
export function keptRowsBudgetBytes(): number {
  const env = Number(process.env.RECLENS_KEPT_ROWS_MIB);
  return (process.env.RECLENS_KEPT_ROWS_MIB && Number.isFinite(env) && env >= 0 ? env : 256) * 2 ** 20;
}

/**
 * How many of `rows` rows to keep within `budget` bytes: all of them, or whole batches of the first ones when
 * they are at least half the rows; else none. A small share saves little copying for the memory it holds (at 5M
 * MovieLens rows 256 MiB is 15% of them, and it took ablate's peak RSS from ~750 MiB to 1,000 MiB).
 */
export function keptRowCount(inputs: PlannedInput[], rows: number, batchSize: number, budget: number): number {
  const rowBytes = inputs.reduce((a, inp) => a + inp.width * BYTES[inp.dtype], 0);
  const fit = rowBytes > 0 ? Math.floor(budget / rowBytes) : rows;
  if (fit >= rows) return rows;
  const kept = Math.floor(fit / batchSize) * batchSize;
  return kept * 2 >= rows ? kept : 0;
}

/**
 * Copies the first rows of every input to the inference worker (as many as the budget allows, whole batches) and
 * returns how many it keeps (0: none). Pair with `rs.dropRows()` when the passes are done.
 */
export function keepRowsInWorker(
  rs: RemoteSession,
  inputs: PlannedInput[],
  columns: DecodedColumns,
  rows: number,
  batchSize: number,
  budget = keptRowsBudgetBytes(),
): number {
  const kept = keptRowCount(inputs, rows, batchSize, budget);
  if (kept === 0) return 0;
  // read() gives each input an array of its own (a copy from memory, or from the spilled rows), so it can be
  // transferred; the worker then holds the only reference.
  rs.keepRows(
    kept,
    inputs.map((inp) => ({ name: inp.name, dtype: inp.dtype, dims: inp.dims, data: columns.read(inp.name, 0, kept) })),
  );
  return kept;
}
