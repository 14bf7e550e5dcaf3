/** Scores materialized rows in batches through the inference worker, with some inputs replaced per row range. */
import type { FeedArray } from '../data/batches';
import type { PlannedInput } from '../data/inputPlan';
import { JobControl, throwIfCancelled } from '../progress';
import { InFlight } from './inFlight';
import type { RemoteSession } from './remoteSession';

/** Builds the values of one input for rows [start, end), as a fresh array (it is transferred to the worker). */
export type FeedBuilder = (input: PlannedInput, start: number, end: number) => FeedArray;

export async function scoreBatches(
  rs: RemoteSession,
  inputs: PlannedInput[],
  rows: number,
  batchSize: number,
  feed: FeedBuilder,
  control?: JobControl,
  onBatch?: (doneRows: number) => void,
): Promise<Float32Array> {
  const scores = new Float32Array(rows);
  const flight = new InFlight();
  try {
    for (let start = 0; start < rows; start += batchSize) {
      throwIfCancelled(control);
      const end = Math.min(rows, start + batchSize);
      const feeds = inputs.map((inp) => ({
        name: inp.name,
        dtype: inp.dtype,
        dims: inp.dims,
        data: feed(inp, start, end),
      }));
      await flight.push(
        rs.run(end - start, feeds).then((s) => {
          scores.set(s, start);
          onBatch?.(end);
        }),
      );
    }
    await flight.drain();
  } finally {
    await flight.settle();
  }
  return scores;
}
