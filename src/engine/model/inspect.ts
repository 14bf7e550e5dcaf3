/** Model inspection from the .onnx bytes alone (no execution): signature, size, embedding tables. */
import { inputError } from '../errors';
import { readFileSafely } from '../util/safeFile';
import { OnnxGraphInfo, OnnxInitializer, OnnxValueInfo, parseOnnx } from './onnxFile';
import { parseOnnxOffThread } from './onnxOffThread';

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

/**
 * What a scoring job keeps of a model: its hash, inspection and signature. On a model-cache hit it comes from the
 * memo by file stamp (model/modelCache.ts) and the file is not read at all; otherwise from LoadedOnnx.
 */
export interface InspectedOnnx {
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  inspection: ModelInspection;
  graph: Pick<OnnxGraphSummary, 'inputs' | 'outputs' | 'outputOps'>;
}

/**
 * What a job keeps of a parsed model. The graph's body (every node and initializer) stays in the worker thread that
 * parsed it: a hostile model can hold millions of nodes, and copying them back would stall the caller's thread.
 */
export interface LoadedOnnx extends InspectedOnnx {
  bytes: Buffer;
  /** sha256 of `bytes`, hex (hashed in the worker: a 2 GB model takes seconds). */
  sha256: string;
  graph: OnnxGraphSummary;
}

export interface OnnxGraphSummary {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** The op type of the node that makes each graph output. */
  outputOps: { output: string; opType: string }[];
  /** The initializers listed in inspection.embeddingTables, for the embedding views. */
  embeddingInitializers: OnnxInitializer[];
}

/** The parse and inspection of one model's bytes, on the thread that calls it (the ONNX worker's job). */
export function loadOnnxBytes(file: string, bytes: Buffer): { inspection: ModelInspection; graph: OnnxGraphSummary } {
  if (bytes.length === 0)
    throw inputError(`Model file ${file} is empty. Export the model again.`, { file, field: 'model' });
  let graph: OnnxGraphInfo;
  try {
    graph = parseOnnx(bytes);
    if (graph.inputs.length === 0 && graph.outputs.length === 0) throw new Error('the graph has no inputs or outputs');
  } catch (e) {
    throw inputError(
      `Model file ${file} is not a valid ONNX model (${(e as Error).message}); it may be truncated or corrupt. Export it again (torch.onnx.export, tf2onnx, ...) and check it with onnx.checker.`,
      { file, field: 'model' },
    );
  }
  const inspection = inspectGraph(file, bytes.length, graph);
  const tables = new Set(inspection.embeddingTables.map((t) => t.initializer));
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const outputOps: OnnxGraphSummary['outputOps'] = [];
  for (const n of graph.nodes)
    for (const o of n.outputs)
      if (outputs.has(o)) {
        outputOps.push({ output: o, opType: n.opType });
        outputs.delete(o);
      }
  return {
    inspection,
    graph: {
      inputs: graph.inputs,
      outputs: graph.outputs,
      outputOps,
      embeddingInitializers: graph.initializers.filter((i) => tables.has(i.name)),
    },
  };
}

/**
 * Reads a model file (a regular file within the size limit, read asynchronously: see safeFile) and parses it in a
 * worker thread (parseOnnxOffThread), so neither the extension host nor the CLI's event loop waits on the parse.
 */
export async function readOnnx(file: string): Promise<LoadedOnnx> {
  return parseOnnxOffThread(file, await readFileSafely(file, 'Model file'), 'load');
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
    if (inputNames.has(t)) {
      found.add(t);
      continue;
    }
    const p = producer.get(t);
    if (p) for (const i of p.inputs) if (i && !initNames.has(i)) stack.push([i, depth + 1]);
  }
  return [...found];
}

export function inspectGraph(file: string, bytes: number, graph: OnnxGraphInfo): ModelInspection {
  const opTypes: Record<string, number> = Object.create(null); // op type names come from the file ("__proto__")
  for (const n of graph.nodes) opTypes[n.opType] = (opTypes[n.opType] ?? 0) + 1;
  const inits = new Map(graph.initializers.map((i) => [i.name, i]));
  const embeddingTables: EmbeddingTableInfo[] = [];
  const seen = new Set<string>();
  for (const n of graph.nodes) {
    if (n.opType !== 'Gather' || seen.has(n.inputs[0])) continue;
    const init = inits.get(n.inputs[0]);
    if (!init || init.dims.length !== 2 || init.dtype !== 'float32') continue;
    seen.add(init.name);
    embeddingTables.push({
      initializer: init.name,
      rows: init.dims[0],
      dim: init.dims[1],
      indexedBy: traceToInputs(graph, n.inputs[1]),
    });
  }
  return {
    file,
    bytes,
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

/** A model's signature and structure, parsed off this thread; the bytes are not kept. */
export async function inspectModel(file: string): Promise<ModelInspection> {
  return parseOnnxOffThread(file, await readFileSafely(file, 'Model file'), 'inspect');
}
