/**
 * Embedding tables for the embedding views: tables from reclens.json (.npy + ids, Parquet), or the ranker's own
 * ID-embedding initializers ("onnx:<initializer>", the behaviour space it learned), with row indices mapped back
 * to item ids through the data column that feeds the Gather's input.
 */
import type { Key } from '../data/keys';
import { normaliseKey } from '../data/keys';
import { loadTable } from '../data/tables';
import { inputError, usageError } from '../errors';
import { initializerValues } from '../model/onnxFile';
import { sqlIdent } from '../data/duck';
import { suggestion } from '../util/suggest';
import type { Workspace, WorkspaceWithModelBytes } from '../workspace';

export interface EmbeddingTable {
  name: string;
  rows: number;
  dim: number;
  vectors: Float32Array;
  ids: Key[];
}

export function availableTables(ws: Workspace): string[] {
  return [...Object.keys(ws.config.tables), ...ws.model.embeddingTables.map((e) => `onnx:${e.initializer}`)];
}

export async function openEmbeddingTable(ws: WorkspaceWithModelBytes, name: string): Promise<EmbeddingTable> {
  if (name.startsWith('onnx:')) {
    const initName = name.slice(5);
    const info = ws.model.embeddingTables.find((e) => e.initializer === initName);
    if (!info)
      throw usageError(
        `The model has no embedding initializer "${initName}".${suggestion(
          initName,
          ws.model.embeddingTables.map((e) => e.initializer),
        )}`,
      );
    const init = ws.onnx.graph.embeddingInitializers.find((i) => i.name === initName)!;
    const vectors = initializerValues(ws.onnx.bytes, init);
    // Map row index -> item id where the data has both (e.g. item_idx -> movie_id).
    const ids: Key[] = Array.from({ length: info.rows }, (_, i) => `#${i}`);
    const feeding = ws.plan.inputs.find((i) => info.indexedBy.includes(i.name));
    const idColumn = ws.config.data.item ?? ws.config.data.group;
    if (feeding?.source.kind === 'columns' && feeding.source.columns.length === 1 && idColumn) {
      const indexColumn = feeding.source.columns[0];
      const candidates = [ws.config.data.item, ws.config.data.group].filter(Boolean) as string[];
      // The id column is whichever of item / group maps one-to-one onto the index column.
      for (const col of candidates) {
        const r = await ws.duck.conn.runAndReadAll(
          `SELECT ${sqlIdent(indexColumn)} AS ix, any_value(${sqlIdent(col)}) AS id, count(DISTINCT ${sqlIdent(col)}) AS c FROM ${ws.plan.fromClause} GROUP BY 1`,
        );
        const rows = r.getRowObjects();
        if (rows.length === 0 || rows.some((x) => Number(x.c) > 1 && Number(x.ix) !== 0)) continue;
        for (const x of rows) {
          const ix = Number(x.ix);
          if (ix > 0 && ix < info.rows) ids[ix] = normaliseKey(x.id);
        }
        break;
      }
    }
    return { name, rows: info.rows, dim: info.dim, vectors, ids };
  }
  const spec = ws.config.tables[name];
  if (!spec)
    throw usageError(
      `Unknown table "${name}".${suggestion(name, availableTables(ws))} Tables: ${availableTables(ws).join(', ')}.`,
    );
  const t = ws.tables[name] ?? (await loadTable(ws.duck, spec));
  if (t.rows < 3)
    throw inputError(`Table "${name}" has ${t.rows} rows; an embedding view needs at least 3.`, { file: t.file });
  return { name, rows: t.rows, dim: t.dim, vectors: t.vectors, ids: t.ids };
}

/** Rows of a table kept after seeded sampling (sorted indices), or all rows. */
export function sampleRows(rows: number, sample: number | undefined, rng: () => number): Uint32Array {
  if (!sample || sample >= rows) return Uint32Array.from({ length: rows }, (_, i) => i);
  const idx = Uint32Array.from({ length: rows }, (_, i) => i);
  for (let i = 0; i < sample; i++) {
    const j = i + Math.floor(rng() * (rows - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, sample).sort();
}

export function subsetTable(t: EmbeddingTable, rows: Uint32Array): EmbeddingTable {
  if (rows.length === t.rows) return t;
  const vectors = new Float32Array(rows.length * t.dim);
  rows.forEach((r, i) => vectors.set(t.vectors.subarray(r * t.dim, (r + 1) * t.dim), i * t.dim));
  return { ...t, rows: rows.length, vectors, ids: Array.from(rows, (r) => t.ids[r]) };
}
