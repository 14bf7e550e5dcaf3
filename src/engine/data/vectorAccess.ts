/**
 * Fast reads of DuckDB result vectors. @duckdb/node-api keeps each fixed-width vector's values in a typed array
 * (`items`) and its null mask in `validity.data` (null when every value is valid). Reading those directly is ~10x
 * faster than getItem() per value, which matters at millions of rows x dozens of values. These fields are not
 * public API, so every accessor checks their shape and callers fall back to getItem() when it does not match.
 */
import type { DuckDBListVector, DuckDBVector } from '@duckdb/node-api';

export type NumericItems =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Uint32Array;

/** The vector's typed array of values if it has no nulls, else undefined. */
export function denseItems(vec: DuckDBVector): NumericItems | undefined {
  const v = vec as unknown as { items?: unknown; validity?: { data?: unknown } };
  if (!ArrayBuffer.isView(v.items) || v.items instanceof DataView) return undefined;
  if (!v.validity || v.validity.data !== null) return undefined;
  return v.items as NumericItems;
}

/** The typed array behind a list vector's child values, when dense. */
export function listChildItems(vec: DuckDBListVector): NumericItems | undefined {
  return denseItems(vec.childVector);
}

export function listHasNulls(vec: DuckDBListVector): boolean {
  const v = vec as unknown as { validity?: { data?: unknown } };
  return !v.validity || v.validity.data !== null;
}
