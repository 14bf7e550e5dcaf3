/** Scores materialized rows in batches through the inference worker, with some inputs replaced per row range. */
import type { FeedArray } from '../data/batches';
import type { PlannedInput } from '../data/inputPlan';
import { JobControl, throwIfCancelled } from '../progress';
import { InFlight } from './inFlight';
import type { RemoteSession } from './remoteSession';

/** Bytes per value of each feed dtype. */
const VALUE_BYTES: Record<PlannedInput['dtype'], number> = {
  float32: 4,
  float64: 8,
  int64: 8,
  int32: 4,
  bool: 1,
  uint8: 1,
  int8: 1,
};
/** Feeds queued at the inference worker for a job of many passes, at most (see passQueueDepth). */
const PASSES_IN_FLIGHT_BYTES = 32 * 2 ** 20;

/**
 * Batches a job of many passes keeps queued at the inference worker: as many as fit in 32 MiB of feeds, 2 to 8.
 * Two batches (~8 ms of onnxruntime at 8,192 MovieLens rows) did not cover the main thread's own steps between
 * batches (a pass's permutation drawn, its scores turned into probabilities: 10-40 ms at 1M rows), so
 * onnxruntime waited at every such step (docs/performance.md, Round 8).
 */
export function passQueueDepth(inputs: readonly PlannedInput[], batchSize: number): number {
  const batchBytes = inputs.reduce((a, i) => a + i.width * VALUE_BYTES[i.dtype], 0) * batchSize;
  return Math.max(2, Math.min(8, Math.floor(PASSES_IN_FLIGHT_BYTES / Math.max(1, batchBytes))));
}

/** Builds the values of one input for rows [start, end), as a fresh array (it is transferred to the worker). */
export type FeedBuilder = (input: PlannedInput, start: number, end: number) => FeedArray;

/**
 * Several passes over the same rows through one queue of in-flight batches. A pass is queued batch by batch (each
 * batch's feeds built as room frees up), and the next pass's first batches are built while the previous pass's
 * last ones still run, so the inference worker does not wait for the caller between passes (ablation: 1 + S*R
 * passes, each of which used to end by draining the queue).
 */
export class PassQueue {
  private readonly flight: InFlight;

  constructor(
    private readonly rs: RemoteSession,
    private readonly inputs: PlannedInput[],
    private readonly rows: number,
    private readonly batchSize: number,
    private readonly control?: JobControl,
    depth = 2,
  ) {
    this.flight = new InFlight(depth);
  }

  /**
   * Queues every batch of one pass. Resolves once the last batch is queued (the feed builder is not called after
   * that), with the pass's scores to come; those reject with the first failed batch.
   */
  async queue(feed: FeedBuilder, onBatch?: (doneRows: number) => void): Promise<{ scores: Promise<Float32Array> }> {
    const scores = new Float32Array(this.rows);
    const batches: Promise<void>[] = [];
    for (let start = 0; start < this.rows; start += this.batchSize) {
      throwIfCancelled(this.control);
      const end = Math.min(this.rows, start + this.batchSize);
      const feeds = this.inputs.map((inp) => ({
        name: inp.name,
        dtype: inp.dtype,
        dims: inp.dims,
        data: feed(inp, start, end),
      }));
      const batch = this.rs.run(end - start, feeds).then((s) => {
        scores.set(s, start);
        onBatch?.(end);
      });
      batches.push(batch);
      await this.flight.push(batch);
    }
    const all = Promise.all(batches).then(() => scores);
    all.catch(() => undefined); // observed by whoever awaits it; none rejects unhandled meanwhile
    return { scores: all };
  }

  /** Waits for every queued batch; rethrows the first failure. */
  drain(): Promise<void> {
    return this.flight.drain();
  }

  /** Waits for whatever is still queued, ignoring failures (for finally blocks after an error). */
  settle(): Promise<void> {
    return this.flight.settle();
  }
}

export async function scoreBatches(
  rs: RemoteSession,
  inputs: PlannedInput[],
  rows: number,
  batchSize: number,
  feed: FeedBuilder,
  control?: JobControl,
  onBatch?: (doneRows: number) => void,
): Promise<Float32Array> {
  const queue = new PassQueue(rs, inputs, rows, batchSize, control);
  try {
    const { scores } = await queue.queue(feed, onBatch);
    await queue.drain();
    return await scores;
  } finally {
    await queue.settle();
  }
}
