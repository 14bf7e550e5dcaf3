/**
 * Finds what a folder holds for a config: ONNX models, evaluation-data candidates, lookup tables (.npy matrices
 * with their ids file, Parquet files of id + vector) and an item metadata file. Looks two folders deep and skips
 * hidden folders, node_modules and RecLens's own run records.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SUPPORTED_DATA_EXTENSIONS } from '../config/loadConfig';
import { describeColumns, typeClass } from '../data/describe';
import { Duck, readExpression, sqlIdent } from '../data/duck';
import { assertReadableFile } from '../util/safeFile';
import { Key, normaliseKey } from '../data/keys';
import { readNpy, readNpyHeader } from '../data/npy';
import { nameTokens } from '../util/suggest';
import type { TableFile } from './types';

const SKIP = new Set(['node_modules', 'out', 'build', 'dist', '__pycache__']);

export function listFiles(dir: string, depth = 2): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0 && !e.name.startsWith('.') && !SKIP.has(e.name)) out.push(...listFiles(full, depth - 1));
    } else if (e.isFile()) out.push(full);
  }
  return out;
}

export const findModels = (dir: string) => listFiles(dir).filter((f) => f.toLowerCase().endsWith('.onnx'));
export const findDataFiles = (dir: string) =>
  listFiles(dir).filter(
    (f) =>
      SUPPORTED_DATA_EXTENSIONS.includes(path.extname(f).toLowerCase()) &&
      !f.toLowerCase().endsWith('.reclens.json') &&
      path.basename(f).toLowerCase() !== 'reclens.json' &&
      path.extname(f).toLowerCase() !== '.json',
  );

/** A lookup table found on disk, with its ids loaded for coverage checks. */
export interface FoundTable extends TableFile {
  idSet: Set<Key>;
}

function npyIdsFor(matrix: string, rows: number, vectors: string[]): string | undefined {
  const dir = path.dirname(matrix);
  const options = listFiles(dir, 0)
    .filter((f) => f.endsWith('.npy') && !vectors.includes(f))
    .filter((f) => {
      try {
        const h = readNpyHeader(f);
        return h.shape.length === 1 && h.shape[0] === rows && h.dtype !== 'float32' && h.dtype !== 'float64';
      } catch {
        return false;
      }
    });
  // Prefer a name that says "id", then one sharing a word with the matrix's name.
  const words = new Set(nameTokens(path.basename(matrix, '.npy')));
  const rank = (f: string) => {
    const t = nameTokens(path.basename(f, '.npy'));
    return (t.some((w) => w === 'id' || w === 'ids') ? 2 : 0) + (t.some((w) => words.has(w)) ? 1 : 0);
  };
  return options.sort((a, b) => rank(b) - rank(a))[0];
}

export async function discoverTables(duck: Duck, dir: string, exclude: string[]): Promise<FoundTable[]> {
  const files = listFiles(dir).filter((f) => !exclude.includes(f));
  const found: FoundTable[] = [];
  const matrices = files
    .filter((f) => f.endsWith('.npy'))
    .filter((f) => {
      try {
        const h = readNpyHeader(f);
        return h.shape.length === 2 && (h.dtype === 'float32' || h.dtype === 'float64');
      } catch {
        return false;
      }
    });
  for (const f of matrices) {
    const h = readNpyHeader(f);
    const ids = npyIdsFor(f, h.shape[0], matrices);
    const idValues = ids
      ? Array.from((await readNpy(ids)).data as ArrayLike<number | bigint>, normaliseKey)
      : Array.from({ length: h.shape[0] }, (_, i) => i);
    found.push({
      name: path.basename(f, '.npy'),
      path: f,
      ids,
      rows: h.shape[0],
      dim: h.shape[1],
      idSet: new Set(idValues),
    });
  }
  for (const f of files.filter((x) => x.toLowerCase().endsWith('.parquet'))) {
    let cols;
    try {
      cols = await describeColumns(duck, f);
    } catch {
      continue;
    }
    const vectors = cols.filter(
      (c) => typeClass(c.type) === 'list' && ['float', 'integer'].includes(typeClass(c.type.replace(/\[\d*\]$/, ''))),
    );
    const idCols = cols.filter((c) => ['integer', 'string'].includes(typeClass(c.type)));
    if (vectors.length !== 1 || idCols.length !== 1 || cols.length !== 2) continue;
    const v = sqlIdent(vectors[0].name),
      id = sqlIdent(idCols[0].name);
    const r = (
      await duck.conn.runAndReadAll(
        `SELECT count(*)::BIGINT AS n, count(DISTINCT ${id})::BIGINT AS u, min(len(${v}))::BIGINT AS lo, max(len(${v}))::BIGINT AS hi FROM ${readExpression(f)}`,
      )
    ).getRowObjects()[0];
    if (Number(r.n) !== Number(r.u) || Number(r.lo) !== Number(r.hi) || Number(r.n) === 0) continue;
    const ids = (await duck.conn.runAndReadAll(`SELECT ${id} FROM ${readExpression(f)}`))
      .getColumns()[0]
      .map(normaliseKey);
    found.push({
      name: path.basename(f, '.parquet'),
      path: f,
      idColumn: idCols[0].name,
      vectorColumn: vectors[0].name,
      rows: Number(r.n),
      dim: Number(r.hi),
      idSet: new Set(ids),
    });
  }
  // Two files with one stem (content.npy, content.parquet) get distinct names.
  const stems = new Map<string, number>();
  for (const t of found) stems.set(t.name, (stems.get(t.name) ?? 0) + 1);
  for (const t of found) if (stems.get(t.name)! > 1) t.name = `${t.name}_${path.extname(t.path).slice(1)}`;
  return found;
}

/** Share of a column's distinct values that are ids of the table (read from up to 200,000 distinct values). */
export async function keyCoverage(duck: Duck, dataFile: string, column: string, idSet: Set<Key>): Promise<number> {
  const values = (
    await duck.conn.runAndReadAll(
      `SELECT DISTINCT ${sqlIdent(column)} FROM ${readExpression(dataFile)} WHERE ${sqlIdent(column)} IS NOT NULL LIMIT 200000`,
    )
  ).getColumns()[0];
  if (values.length === 0) return 0;
  let hit = 0;
  for (const v of values) if (idSet.has(normaliseKey(v))) hit++;
  return hit / values.length;
}

/** An item metadata file: one row per item id (the data's item column), with a text column to show. */
export async function findItemsFile(
  duck: Duck,
  candidates: string[],
  itemColumn: string,
): Promise<{ path: string; id: string; label?: string } | undefined> {
  for (const f of candidates) {
    let cols;
    try {
      cols = await describeColumns(duck, f);
    } catch {
      continue;
    }
    if (!cols.some((c) => c.name === itemColumn)) continue;
    const texts = cols.filter((c) => typeClass(c.type) === 'string' && c.name !== itemColumn);
    if (texts.length === 0) continue;
    const r = (
      await duck.conn.runAndReadAll(
        `SELECT count(*)::BIGINT AS n, count(DISTINCT ${sqlIdent(itemColumn)})::BIGINT AS u FROM ${readExpression(f)}`,
      )
    ).getRowObjects()[0];
    if (Number(r.n) === 0 || Number(r.n) !== Number(r.u)) continue;
    const label = texts.find((c) => /^(title|name|label|display_name)$/i.test(c.name)) ?? texts[0];
    return { path: f, id: itemColumn, label: label.name };
  }
  return undefined;
}

/**
 * The files a scaffolding DuckDB may open: the data files of the folder (and any named ones) that are regular files
 * within the size limit. DuckDB's external access is limited to these (see openDuck), as for a config's own files.
 */
export async function readableCandidates(dir: string, named: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of new Set([...named, ...findDataFiles(dir)])) {
    try {
      await assertReadableFile(f, 'Data file', dir);
      out.push(f);
    } catch {
      /* a named file fails later with its own message */
    }
  }
  return out;
}
