/** Lookup tables (id -> vector) from .npy (+ ids .npy) or Parquet, held as one Float32Array. */
import * as path from 'path';
import type { DuckDBVector } from '@duckdb/node-api';
import { inputError } from '../errors';
import type { TableSpec } from '../config/types';
import { suggestion } from '../util/suggest';
import { arrayWidth, describeColumns, typeClass } from './describe';
import { dataReadError, Duck, sqlIdent, sqlString } from './duck';
import { Key, normaliseKey } from './keys';
import { readNpy } from './npy';
import { smallKeyRows } from './batches';
import { denseItems } from './vectorAccess';

export interface LookupTable {
  name: string;
  file: string;
  rows: number;
  dim: number;
  vectors: Float32Array;
  ids: Key[];
  index: Map<Key, number>;
  fallback: Float32Array;
}

function toFloat32(data: ArrayLike<number> | BigInt64Array): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number((data as ArrayLike<number | bigint>)[i]);
  return out;
}

async function readParquetTable(
  duck: Duck,
  spec: TableSpec,
): Promise<{ vectors: Float32Array; ids: Key[]; dim: number }> {
  const cols = await describeColumns(duck, spec.path);
  const names = cols.map((c) => c.name);
  for (const [field, col] of [
    ['idColumn', spec.idColumn],
    ['vectorColumn', spec.vectorColumn],
  ] as const) {
    if (!names.includes(col)) {
      throw inputError(
        `Table "${spec.name}" (${spec.path}) has no column "${col}" (tables.${spec.name}.${field}).${suggestion(col, names)}`,
        { file: spec.path, field: `tables.${spec.name}.${field}` },
      );
    }
  }
  const vecType = cols.find((c) => c.name === spec.vectorColumn)!.type;
  if (typeClass(vecType) !== 'list')
    throw inputError(
      `Table "${spec.name}": column "${spec.vectorColumn}" is ${vecType}, not a list or array of numbers. Store each vector as FLOAT[] or FLOAT[d].`,
      { file: spec.path },
    );
  const src = `read_parquet(${sqlString(spec.path)})`;
  const v = sqlIdent(spec.vectorColumn);
  try {
    let dim = arrayWidth(vecType);
    if (dim === undefined) {
      const r = (
        await duck.conn.runAndReadAll(`SELECT min(len(${v}))::BIGINT AS lo, max(len(${v}))::BIGINT AS hi FROM ${src}`)
      ).getRowObjects()[0];
      if (Number(r.lo) !== Number(r.hi))
        throw inputError(
          `Table "${spec.name}": vectors in "${spec.vectorColumn}" have different lengths (${r.lo} to ${r.hi}). Every vector must have the same dimension.`,
          { file: spec.path },
        );
      dim = Number(r.hi);
    }
    const reader = await duck.conn.runAndReadAll(`SELECT ${sqlIdent(spec.idColumn)} AS id, ${v} AS v FROM ${src}`);
    const rows = reader.currentRowCount;
    const vectors = new Float32Array(rows * dim);
    const ids: Key[] = new Array(rows);
    const idCol = reader.getColumns()[0];
    const vecCol = reader.getColumns()[1] as unknown as ({ items: unknown[] } | null)[];
    for (let r = 0; r < rows; r++) {
      ids[r] = normaliseKey(idCol[r]);
      const items = vecCol[r]?.items;
      if (!items)
        throw inputError(`Table "${spec.name}": row ${r + 1} has a null vector. Remove it or fill it.`, {
          file: spec.path,
        });
      for (let k = 0; k < dim; k++) vectors[r * dim + k] = Number(items[k]);
    }
    return { vectors, ids, dim };
  } catch (e) {
    if ((e as Error).name === 'RecLensError') throw e;
    throw dataReadError(spec.path, e);
  }
}

export async function loadTable(duck: Duck, spec: TableSpec): Promise<LookupTable> {
  let vectors: Float32Array;
  let ids: Key[];
  let dim: number;
  if (path.extname(spec.path).toLowerCase() === '.npy') {
    const m = await readNpy(spec.path);
    if (m.shape.length !== 2)
      throw inputError(
        `Table "${spec.name}" (${spec.path}) has shape (${m.shape.join(', ')}); a table must be 2-D (rows x dim).`,
        { file: spec.path },
      );
    dim = m.shape[1];
    vectors = toFloat32(m.data as Float32Array);
    if (spec.ids) {
      const idArr = await readNpy(spec.ids);
      if (idArr.shape.length !== 1 || idArr.shape[0] !== m.shape[0]) {
        throw inputError(
          `Table "${spec.name}": ids file ${spec.ids} has shape (${idArr.shape.join(', ')}) but the table has ${m.shape[0]} rows. Give one id per row.`,
          { file: spec.ids },
        );
      }
      ids = Array.from(idArr.data as ArrayLike<number | bigint>, normaliseKey);
    } else ids = Array.from({ length: m.shape[0] }, (_, i) => i);
  } else {
    ({ vectors, ids, dim } = await readParquetTable(duck, spec));
  }
  const rows = ids.length;
  const index = new Map<Key, number>();
  for (let r = 0; r < rows; r++) {
    if (index.has(ids[r]))
      throw inputError(
        `Table "${spec.name}": id ${ids[r]} appears twice (rows ${index.get(ids[r])! + 1} and ${r + 1}). Ids must be unique.`,
        { file: spec.ids ?? spec.path },
      );
    index.set(ids[r], r);
  }
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i]))
      throw inputError(
        `Table "${spec.name}" has a non-finite value (NaN or infinity) in row ${Math.floor(i / dim) + 1}. Fix the table.`,
        { file: spec.path },
      );
  }
  const fallback = new Float32Array(dim);
  if (spec.fallback === 'mean') {
    for (let r = 0; r < rows; r++) for (let k = 0; k < dim; k++) fallback[k] += vectors[r * dim + k] / rows;
  } else if (typeof spec.fallback === 'object') {
    const row = index.get(normaliseKey(spec.fallback.id));
    if (row === undefined)
      throw inputError(
        `Table "${spec.name}": fallback id ${spec.fallback.id} is not in the table (tables.${spec.name}.fallback).`,
        { file: spec.path },
      );
    fallback.set(vectors.subarray(row * dim, (row + 1) * dim));
  }
  return { name: spec.name, file: spec.path, rows, dim, vectors, ids, index, fallback };
}

/**
 * The table row each of a key vector's first `n` keys looks up (-1: not in the table, or a null key: the input
 * takes the table's fallback), into out[at..at+n): the rows data/batches.ts fillInput copies for the same keys, by
 * the same lookup (a small integer key through the typed index, any other through the Map).
 */
export function tableRowsOfKeys(table: LookupTable, keys: DuckDBVector, n: number, out: Int32Array, at: number): void {
  const dense = denseItems(keys);
  const small = smallKeyRows(table.index);
  for (let i = 0; i < n; i++) {
    const raw = dense ? dense[i] : keys.getItem(i);
    let row: number | undefined;
    if (typeof raw === 'number' && raw >>> 0 === raw && raw < small.length) row = small[raw] - 1;
    else row = raw === null ? undefined : table.index.get(typeof raw === 'number' ? raw : normaliseKey(raw));
    out[at + i] = row === undefined || row < 0 ? -1 : row;
  }
}
