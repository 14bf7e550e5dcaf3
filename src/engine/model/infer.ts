/** Batched inference: batches from the data stream go to onnxruntime with one run in flight while the next is built. */
import type { Tensor } from 'onnxruntime-node';
import type { Batch, FeedArray } from '../data/batches';
import type { PlannedInput } from '../data/inputPlan';
import { inputError } from '../errors';
import { ort } from './session';

export function toFeeds(batch: Batch, inputs: PlannedInput[]): Record<string, Tensor> {
  const { Tensor } = ort();
  const feeds: Record<string, Tensor> = {};
  for (const inp of inputs) {
    const data = batch.feeds.get(inp.name)! as FeedArray;
    feeds[inp.name] = new Tensor(inp.dtype as 'float32', data as Float32Array, [batch.size, ...inp.dims]);
  }
  return feeds;
}

/** Copies one score per row out of the output tensor, checking its shape. */
export function scoresFromOutput(out: Tensor, outputName: string, batchSize: number, modelFile: string): Float32Array {
  const data = out.data as Float32Array | Float64Array;
  if (typeof data[0] === 'bigint' || typeof data[0] === 'string') {
    throw inputError(`Output "${outputName}" of ${modelFile} is ${out.type}, not a float score. Set model.output to the score output.`, { file: modelFile, path: ['model', 'output'] });
  }
  if (data.length !== batchSize) {
    throw inputError(`Output "${outputName}" of ${modelFile} has shape [${out.dims.join(', ')}], i.e. ${data.length / batchSize} values per row; RecLens needs one score per row ([batch] or [batch, 1]). Set model.output to the score output.`, { file: modelFile, path: ['model', 'output'] });
  }
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
