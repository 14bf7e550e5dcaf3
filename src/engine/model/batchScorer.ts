/** Scores materialized rows in batches through the inference worker, with some inputs replaced per row range. */
import type { FeedArray } from '../data/batches';
import type { PlannedInput } from '../data/inputPlan';
import { JobControl, throwIfCancelled } from '../progress';
import { InFlight } from './inFlight';
import type { RemoteSession } from './remoteSession';

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
