/**
 * kNN as an ONNX graph, so it runs on the same execution-provider chain as the ranker (CUDA when present):
 *   scores = normalise(Q) @ K^T, then TopK(k).  K (already unit-norm) is an initializer, so it stays on the device
 *   while query blocks stream through.
 */
import { ProtoWriter } from '../model/protobufWriter';

const FLOAT = 1,
  INT64 = 7;
const ATTR_INT = 2,
  ATTR_INTS = 7;

function valueInfo(name: string, elemType: number, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  const tensor = new ProtoWriter().varint(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
}

function node(op: string, inputs: string[], outputs: string[], attrs: ProtoWriter[] = []): ProtoWriter {
  const n = new ProtoWriter();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  n.string(3, `${op}_${outputs[0]}`).string(4, op);
  for (const a of attrs) n.message(5, a);
  return n;
}

const intAttr = (name: string, v: number) => new ProtoWriter().string(1, name).varint(3, v).varint(20, ATTR_INT);
const intsAttr = (name: string, v: number[]) =>
  new ProtoWriter().string(1, name).packedInts(8, v).varint(20, ATTR_INTS);

function tensor(name: string, dims: number[], elemType: number, raw: Uint8Array): ProtoWriter {
  return new ProtoWriter().packedInts(1, dims).varint(2, elemType).string(8, name).bytes(9, raw);
}

/** Unit-norm rows (zero rows stay zero), as float32. */
export function normaliseRows(v: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let r = 0; r < v.length / dim; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += v[r * dim + k] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dim; k++) out[r * dim + k] = v[r * dim + k] * inv;
  }
  return out;
}

/** ONNX bytes: input "query" [b, dim] -> outputs "cosine" [b, k], "index" [b, k] over the given unit-norm keys. */
export function buildKnnModel(unitKeys: Float32Array, rows: number, dim: number, k: number): Uint8Array {
  const keyBytes = new Uint8Array(unitKeys.buffer, unitKeys.byteOffset, unitKeys.byteLength);
  const kBytes = new Uint8Array(BigInt64Array.from([BigInt(k)]).buffer);
  const graph = new ProtoWriter()
    .message(1, node('ReduceL2', ['query'], ['qnorm'], [intsAttr('axes', [1]), intAttr('keepdims', 1)]))
    .message(1, node('Max', ['qnorm', 'eps'], ['qsafe']))
    .message(1, node('Div', ['query', 'qsafe'], ['qunit']))
    .message(1, node('MatMul', ['qunit', 'keysT'], ['scores']))
    .message(
      1,
      node(
        'TopK',
        ['scores', 'k'],
        ['cosine', 'index'],
        [intAttr('axis', 1), intAttr('largest', 1), intAttr('sorted', 1)],
      ),
    )
    .string(2, 'reclens_knn')
    .message(5, tensor('keysT', [dim, rows], FLOAT, transpose(keyBytes, rows, dim)))
    .message(5, tensor('k', [1], INT64, kBytes))
    .message(5, tensor('eps', [1], FLOAT, new Uint8Array(Float32Array.from([1e-12]).buffer)))
    .message(11, valueInfo('query', FLOAT, ['batch', dim]))
    .message(12, valueInfo('cosine', FLOAT, ['batch', k]))
    .message(12, valueInfo('index', INT64, ['batch', k]));
  return new ProtoWriter()
    .varint(1, 8) // IR version
    .string(2, 'reclens')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').varint(2, 13))
    .finish();
}

/** The keys stored transposed ([dim, rows]) so the graph needs no Transpose node. */
function transpose(bytes: Uint8Array, rows: number, dim: number): Uint8Array {
  const src = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) for (let k = 0; k < dim; k++) out[k * rows + r] = src[r * dim + k];
  return new Uint8Array(out.buffer);
}
