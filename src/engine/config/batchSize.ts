/**
 * Rows per inference call when a config sets no `runtime.batchSize`: as many as keep one batch's widest layer input
 * (the model's inputs after embedding lookup, e.g. 26 ids x 64-d embeddings + 13 dense = 1,677 floats a row) within
 * a cache-sized budget, and never more than the fixed default. Measured on a DLRM-sized ranker (docs/performance.md,
 * rounds 5 and 6): onnxruntime spent 1.9 x the CPU per row at 8192 rows as at 1024-2048, once a batch's activations
 * outgrew the caches; narrow models (the MovieLens bench, ~150 floats a row) keep 8192.
 */
import type { EmbeddingTableInfo } from '../model/inspect';
import { DEFAULT_BATCH_SIZE, RecLensConfig } from './types';

/** Bytes one batch's widest float activation may take before a smaller batch is chosen. */
export const BATCH_ACTIVATION_BYTES = 16 * 2 ** 20;
/** The smallest batch the width-aware default picks (per-call overhead dominates below it). */
export const MIN_DEFAULT_BATCH_SIZE = 256;

/** runtime.batchSize as the config file states it, or undefined when it states none. */
export function declaredBatchSize(config: RecLensConfig): number | undefined {
  const runtime = config.raw.runtime as { batchSize?: unknown } | undefined;
  return typeof runtime?.batchSize === 'number' ? config.runtime.batchSize : undefined;
}

/**
 * Floats a row takes once its ids are looked up: each input's values per row, an id input counting the widths of
 * the embedding tables it indexes instead of 1.
 */
export function rowWidth(inputs: { name: string; width: number }[], tables: EmbeddingTableInfo[]): number {
  let width = 0;
  for (const inp of inputs) {
    const dims = tables.filter((t) => t.indexedBy.includes(inp.name)).reduce((s, t) => s + t.dim, 0);
    width += Math.max(1, inp.width) * Math.max(1, dims);
  }
  return width;
}

/** The largest power of two of rows whose activations of `width` floats fit the budget, within [256, 8192]. */
export function widthAwareBatchSize(width: number): number {
  const rows = BATCH_ACTIVATION_BYTES / (4 * Math.max(1, width));
  const pow2 = 2 ** Math.floor(Math.log2(Math.max(1, rows)));
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_DEFAULT_BATCH_SIZE, pow2));
}
