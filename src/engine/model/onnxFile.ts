/**
 * Structural reading of an .onnx file: graph inputs/outputs with shapes, opsets, producer, nodes, initializers,
 * and which 2-D float initializers are embedding tables read by Gather. onnxruntime does not expose these.
 */
import { ProtoReader } from './protobuf';

export const ONNX_DTYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

export type Dim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  dtype: string;
  shape: Dim[] | null;
}

export interface OnnxInitializer {
  name: string;
  dtype: string;
  dims: number[];
  /** Byte range of raw_data within the file, when stored inline as raw bytes. */
  raw?: { offset: number; length: number };
  floatData?: Float32Array;
  external: boolean;
}

export interface OnnxNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxGraphInfo {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsets: { domain: string; version: number }[];
  graphName: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
}

function readValueInfo(r: ProtoReader): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '', dtype: 'unknown', shape: null };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2) info.name = r.string();
    else if (field === 2 && wire === 2) {
      const type = r.sub();
      while (!type.done) {
        const t = type.tag();
        if (t.field === 1 && t.wire === 2) {
          const tensor = type.sub();
          while (!tensor.done) {
            const tt = tensor.tag();
            if (tt.field === 1 && tt.wire === 0) info.dtype = ONNX_DTYPES[tensor.varint()] ?? 'unknown';
            else if (tt.field === 2 && tt.wire === 2) {
              info.shape = [];
              const shape = tensor.sub();
              while (!shape.done) {
                const st = shape.tag();
                if (st.field === 1 && st.wire === 2) {
                  const dim = shape.sub();
                  let d: Dim = null;
                  while (!dim.done) {
                    const dt = dim.tag();
                    if (dt.field === 1 && dt.wire === 0) d = dim.int64();
                    else if (dt.field === 2 && dt.wire === 2) d = dim.string();
                    else dim.skip(dt.wire);
                  }
                  info.shape.push(d);
                } else shape.skip(st.wire);
              }
            } else tensor.skip(tt.wire);
          }
        } else type.skip(t.wire);
      }
    } else r.skip(wire);
  }
  return info;
}

function readTensor(r: ProtoReader): OnnxInitializer {
  const t: OnnxInitializer = { name: '', dtype: 'unknown', dims: [], external: false };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) r.repeatedInt(wire, t.dims);
    else if (field === 2 && wire === 0) t.dtype = ONNX_DTYPES[r.varint()] ?? 'unknown';
    else if (field === 8 && wire === 2) t.name = r.string();
    else if (field === 9 && wire === 2) {
      const len = r.varint();
      t.raw = { offset: r.pos, length: len };
      r.pos += len;
      if (r.pos > r.end) throw new Error('truncated tensor data');
    } else if (field === 4 && wire === 2) {
      const packed = r.sub();
      const out = new Float32Array(Math.floor((packed.end - packed.pos) / 4));
      const view = new DataView(packed.buf.buffer, packed.buf.byteOffset);
      for (let k = 0, p = packed.pos; k < out.length; k++, p += 4) out[k] = view.getFloat32(p, true);
      t.floatData = out;
    } else if (field === 14 && wire === 0) t.external = r.varint() === 1;
    else r.skip(wire);
  }
  return t;
}

function readNode(r: ProtoReader): OnnxNode {
  const n: OnnxNode = { opType: '', domain: '', name: '', inputs: [], outputs: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2) n.inputs.push(r.string());
    else if (field === 2 && wire === 2) n.outputs.push(r.string());
    else if (field === 3 && wire === 2) n.name = r.string();
    else if (field === 4 && wire === 2) n.opType = r.string();
    else if (field === 7 && wire === 2) n.domain = r.string();
    else r.skip(wire);
  }
  return n;
}

/** Parses the structure of an ONNX model. Throws a plain Error on malformed bytes (the caller words it). */
export function parseOnnx(buf: Uint8Array): OnnxGraphInfo {
  const info: OnnxGraphInfo = {
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    opsets: [],
    graphName: '',
    inputs: [],
    outputs: [],
    nodes: [],
    initializers: [],
  };
  const r = new ProtoReader(buf);
  let sawGraph = false;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 0) info.irVersion = r.varint();
    else if (field === 2 && wire === 2) info.producerName = r.string();
    else if (field === 3 && wire === 2) info.producerVersion = r.string();
    else if (field === 8 && wire === 2) {
      const o = r.sub();
      const op = { domain: '', version: 0 };
      while (!o.done) {
        const t = o.tag();
        if (t.field === 1 && t.wire === 2) op.domain = o.string();
        else if (t.field === 2 && t.wire === 0) op.version = o.varint();
        else o.skip(t.wire);
      }
      info.opsets.push(op);
    } else if (field === 7 && wire === 2) {
      sawGraph = true;
      const g = r.sub();
      while (!g.done) {
        const t = g.tag();
        if (t.field === 1 && t.wire === 2) info.nodes.push(readNode(g.sub()));
        else if (t.field === 2 && t.wire === 2) info.graphName = g.string();
        else if (t.field === 5 && t.wire === 2) info.initializers.push(readTensor(g.sub()));
        else if (t.field === 11 && t.wire === 2) info.inputs.push(readValueInfo(g.sub()));
        else if (t.field === 12 && t.wire === 2) info.outputs.push(readValueInfo(g.sub()));
        else g.skip(t.wire);
      }
    } else r.skip(wire);
  }
  if (!sawGraph) throw new Error('no graph found');
  // Since IR version 4, initializers may also be listed as graph inputs; those are not inputs to feed.
  const initNames = new Set(info.initializers.map((i) => i.name));
  info.inputs = info.inputs.filter((i) => !initNames.has(i.name));
  return info;
}

/** Values of a float32 initializer (raw_data or float_data), e.g. an embedding table. */
export function initializerValues(buf: Uint8Array, init: OnnxInitializer): Float32Array {
  if (init.dtype !== 'float32') throw new Error(`initializer ${init.name} is ${init.dtype}, not float32`);
  if (init.raw) {
    const copy = new Uint8Array(init.raw.length);
    copy.set(buf.subarray(init.raw.offset, init.raw.offset + init.raw.length));
    return new Float32Array(copy.buffer);
  }
  if (init.floatData) return init.floatData.slice();
  throw new Error(`initializer ${init.name} has no inline data${init.external ? ' (stored in an external file)' : ''}`);
}
