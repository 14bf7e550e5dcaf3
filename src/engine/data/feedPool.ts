/**
 * Feed buffers reused across batches. A batch's input arrays are transferred to the inference worker, which hands
 * the buffers back with the scores; the next batch of the same size takes them from here instead of allocating.
 * Without this every pass left ~the size of its inputs as garbage (1.8 GB per pass at 5M MovieLens rows) that the
 * worker's collector freed late, so resident memory grew with the row count (issue #10 item 6).
 */
import type { FeedArray } from './batches';

/** Pooled bytes in all; beyond it returned buffers are dropped (a few batches in flight need far less). */
const MAX_POOLED_BYTES = 64 * 2 ** 20;
/**
 * Buffers kept per byte length: the batches in flight (up to 8 for ablation's passes, model/batchScorer
 * passQueueDepth) plus the one being built, times the inputs of one size in a batch (three at MovieLens).
 */
const MAX_PER_SIZE = 32;

const pool = new Map<number, ArrayBuffer[]>();
let pooled = 0;

/**
 * An array of `n` values of the given typed-array class, on a recycled buffer when one of the right size is free.
 * Its values are NOT zeroed: callers overwrite every value.
 */
export function feedArray<T extends FeedArray>(
  Ctor: { new (b: ArrayBuffer): T; new (n: number): T; BYTES_PER_ELEMENT: number },
  n: number,
): T {
  const bytes = n * Ctor.BYTES_PER_ELEMENT;
  const free = pool.get(bytes);
  const buf = free?.pop();
  if (buf) {
    pooled -= bytes;
    return new Ctor(buf);
  }
  return new Ctor(n);
}

/** Takes back buffers nobody else holds (they came back from the inference worker). */
export function recycleFeedBuffers(buffers: readonly ArrayBuffer[]): void {
  for (const b of buffers) {
    if (!(b instanceof ArrayBuffer) || b.byteLength === 0 || pooled + b.byteLength > MAX_POOLED_BYTES) continue;
    let free = pool.get(b.byteLength);
    if (!free) pool.set(b.byteLength, (free = []));
    if (free.length >= MAX_PER_SIZE) continue;
    free.push(b);
    pooled += b.byteLength;
  }
}

/** Drops every pooled buffer (when a job's inference session closes). */
export function clearFeedPool(): void {
  pool.clear();
  pooled = 0;
}
