/** Checks on what a ranker's score output gives back. */
import { inputError } from '../errors';

/** Copies one score per row out of the output tensor, checking its shape. */
export function scoresFromOutput(
  out: { type: string; dims: readonly number[]; data: unknown },
  outputName: string,
  batchSize: number,
  modelFile: string,
): Float32Array {
  const data = out.data as Float32Array | Float64Array;
  if (typeof data[0] === 'bigint' || typeof data[0] === 'string') {
    throw inputError(
      `Output "${outputName}" of ${modelFile} is ${out.type}, not a float score. Set model.output to the score output.`,
      { file: modelFile, path: ['model', 'output'] },
    );
  }
  if (data.length !== batchSize) {
    throw inputError(
      `Output "${outputName}" of ${modelFile} has shape [${out.dims.join(', ')}], i.e. ${data.length / batchSize} values per row; RecLens needs one score per row ([batch] or [batch, 1]). Set model.output to the score output.`,
      { file: modelFile, path: ['model', 'output'] },
    );
  }
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
