/** Model inspection from the .onnx bytes alone (no execution): signature, size, embedding tables. */
import { inputError } from '../errors';
import { readFileSafely } from '../util/safeFile';
import { OnnxGraphInfo, OnnxValueInfo, parseOnnx } from './onnxFile';

export interface EmbeddingTableInfo {
  initializer: string;
  rows: number;
  dim: number;
  /** Model inputs whose values index this table (traced back through casts and reshapes). */
  indexedBy: string[];
}

export interface ModelInspection {
  file: string;
  bytes: number;
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodeCount: number;
  opTypes: Record<string, number>;
  initializerCount: number;
  parameterCount: number;
  embeddingTables: EmbeddingTableInfo[];
}

export interface LoadedOnnx {
  bytes: Buffer;
  graph: OnnxGraphInfo;
}

/** Reads and parses a model file (a regular file within the size limit, read asynchronously: see safeFile). */
export async function readOnnx(file: string): Promise<LoadedOnnx> {
  const bytes = await readFileSafely(file, 'Model file');
  if (bytes.length === 0) throw inputError(`Model file ${file} is empty. Export the model again.`, { file, field: 'model' });
  try {
    const graph = parseOnnx(bytes);
    if (graph.inputs.length === 0 && graph.outputs.length === 0) throw new Error('the graph has no inputs or outputs');
    return { bytes, graph };
  } catch (e) {
    throw inputError(`Model file ${file} is not a valid ONNX model (${(e as Error).message}); it may be truncated or corrupt. Export it again (torch.onnx.export, tf2onnx, ...) and check it with onnx.checker.`, { file, field: 'model' });
  }
}

/** Follows single-data-input ops (Cast, Reshape, Squeeze, ...) upstream from a tensor to a graph input. */
function traceToInputs(graph: OnnxGraphInfo, tensor: string): string[] {
  const producer = new Map<string, { inputs: string[] }>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const inputNames = new Set(graph.inputs.map((i) => i.name));
  const initNames = new Set(graph.initializers.map((i) => i.name));
  const found = new Set<string>();
  const stack: [string, number][] = [[tensor, 0]];
  const seen = new Set<string>();
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (seen.has(t) || depth > 8) continue;
    seen.add(t);
    if (inputNames.has(t)) { found.add(t); continue; }
    const p = producer.get(t);
    if (p) for (const i of p.inputs) if (i && !initNames.has(i)) stack.push([i, depth + 1]);
  }
  return [...found];
}

export function inspectGraph(file: string, bytes: number, graph: OnnxGraphInfo): ModelInspection {
  const opTypes: Record<string, number> = {};
  for (const n of graph.nodes) opTypes[n.opType] = (opTypes[n.opType] ?? 0) + 1;
  const inits = new Map(graph.initializers.map((i) => [i.name, i]));
  const embeddingTables: EmbeddingTableInfo[] = [];
  const seen = new Set<string>();
  for (const n of graph.nodes) {
    if (n.opType !== 'Gather' || seen.has(n.inputs[0])) continue;
    const init = inits.get(n.inputs[0]);
    if (!init || init.dims.length !== 2 || init.dtype !== 'float32') continue;
    seen.add(init.name);
    embeddingTables.push({ initializer: init.name, rows: init.dims[0], dim: init.dims[1], indexedBy: traceToInputs(graph, n.inputs[1]) });
  }
  return {
    file, bytes,
    irVersion: graph.irVersion,
    producer: `${graph.producerName} ${graph.producerVersion}`.trim(),
    opsets: graph.opsets,
    inputs: graph.inputs,
    outputs: graph.outputs,
    nodeCount: graph.nodes.length,
    opTypes,
    initializerCount: graph.initializers.length,
    parameterCount: graph.initializers.reduce((s, i) => s + i.dims.reduce((a, b) => a * b, 1), 0),
    embeddingTables,
  };
}

export async function inspectModel(file: string): Promise<ModelInspection> {
  const { bytes, graph } = await readOnnx(file);
  return inspectGraph(file, bytes.length, graph);
}
