/**
 * Reads NumPy .npy files (format 1.0-3.0, C order, little-endian float32/float64/int32/int64/uint8/bool).
 * Small and central enough to write by hand; DuckDB does not read .npy.
 */
import { inputError } from '../errors';
import { readFileSafely, readHeadSync } from '../util/safeFile';

export type NpyData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

export interface NpyArray {
  dtype: 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';
  shape: number[];
  data: NpyData;
}

const DTYPES: Record<string, NpyArray['dtype']> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '<i4': 'int32',
  '<i8': 'int64',
  '|u1': 'uint8',
  '|b1': 'bool',
  '<u1': 'uint8',
};

export function parseNpy(buf: Buffer, file: string, headerOnly = false): NpyArray {
  const bad = (why: string) =>
    inputError(
      `${file} is not a readable .npy file: ${why}. Save it with numpy.save (C order, little-endian float32/float64/int32/int64).`,
      { file },
    );
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw bad('missing the \\x93NUMPY magic');
  const major = buf[6];
  if (major < 1 || major > 3) throw bad(`format version ${major} is not 1, 2 or 3`);
  if (major > 1 && buf.length < 12) throw bad('the header is truncated');
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > buf.length) throw bad('the header is truncated');
  const header = buf.toString('latin1', headerStart, headerStart + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw bad('the header cannot be parsed');
  if (fortran === 'True') throw bad('it is in Fortran order (use numpy.ascontiguousarray before saving)');
  const dtype = DTYPES[descr];
  if (!dtype) throw bad(`dtype ${descr} is not supported`);
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length);
  if (!dims.every((d) => /^\d{1,15}L?$/.test(d)))
    throw bad(`the shape (${shapeText.slice(0, 80)}) is not a list of non-negative integers`);
  const shape = dims.map((d) => Number(d.replace(/L$/, '')));
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count * 8))
    throw bad(`the shape (${shape.join(', ')}) holds more values than any file can`);
  const offset = headerStart + headerLen;
  if (headerOnly) return { dtype, shape, data: new Uint8Array(0) };
  const width = { float32: 4, float64: 8, int32: 4, int64: 8, uint8: 1, bool: 1 }[dtype];
  if (buf.length - offset < count * width)
    throw bad(
      `expected ${count * width} data bytes for shape (${shape.join(', ')}) but found ${buf.length - offset} (truncated file?)`,
    );
  // Copy into an aligned buffer: typed arrays need offsets that are multiples of the element size.
  const bytes = new Uint8Array(count * width);
  bytes.set(buf.subarray(offset, offset + count * width));
  const ab = bytes.buffer;
  const data: NpyData =
    dtype === 'float32'
      ? new Float32Array(ab)
      : dtype === 'float64'
        ? new Float64Array(ab)
        : dtype === 'int32'
          ? new Int32Array(ab)
          : dtype === 'int64'
            ? new BigInt64Array(ab)
            : bytes;
  return { dtype, shape, data };
}

/** dtype and shape from the header alone (the first KiB), for listing large tables cheaply. */
export function readNpyHeader(file: string): { dtype: NpyArray['dtype']; shape: number[] } {
  const parsed = parseNpy(readHeadSync(file, 4096, 'Table file'), file, true);
  return { dtype: parsed.dtype, shape: parsed.shape };
}

/** Reads a .npy file (a regular file within the size limit, read asynchronously: see safeFile). */
export async function readNpy(file: string): Promise<NpyArray> {
  return parseNpy(await readFileSafely(file, 'Table file'), file);
}

/** Writes a .npy file (used by tests and example builders). */
export function encodeNpy(arr: NpyArray): Buffer {
  const descr = { float32: '<f4', float64: '<f8', int32: '<i4', int64: '<i8', uint8: '|u1', bool: '|b1' }[arr.dtype];
  const shape = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = header + ' '.repeat(pad % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}
