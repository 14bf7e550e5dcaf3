/**
 * Rows the inference worker keeps for a job's passes (ablation: 1 + S*R passes over the same rows). Without them
 * every batch of every pass copied each unchanged input into fresh arrays and posted them to the worker
 * (onnxruntime-node rejects SharedArrayBuffer-backed tensors, so the decoded rows cannot simply be shared). With
 * them the worker keeps the batches of the first pass over the rows as they are (ablation's baseline: no copy
 * beyond the one that pass makes anyway), and each later pass sends only the inputs it changes; the worker feeds
 * the others from the kept batch of the same rows (model/batchScorer.ts PassQueue, RemoteSession.runKept).
 *
 * Memory stays bounded: the worker keeps at most `keptRowsBudgetBytes()` (whole batches of the first rows, when
 * they are at least half of them); rows beyond it are fed as before.
 */
import type { FeedDtype, PlannedInput } from '../data/inputPlan';

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
