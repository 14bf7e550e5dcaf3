/**
 * Which evaluation rows fall in each configured slice: one DuckDB pass over the same rows, in the same order, as
 * the scoring stream (same FROM clause and data.filter, same LIMIT), each condition compiled by conditionSql.
 */
import type { RecLensConfig } from '../config/types';
import { dataReadError, Duck } from '../data/duck';
import { describeColumns } from '../data/describe';
import { inputError } from '../errors';
import { checkSlices } from './check';
import { conditionSql, SliceSpec } from './condition';

export interface SliceMask {
  name: string;
  /** 'config' for reclens.json slices, 'auto' for automatic ones. */
  source: 'config' | 'auto';
  description?: string;
  /** 1 where the row is in the slice. */
  rows: Uint8Array;
}

export async function configSliceMasks(
  duck: Duck,
  config: RecLensConfig,
  fromClause: string,
  rows: number,
  only?: string[],
): Promise<SliceMask[]> {
  const specs: SliceSpec[] = (config.slices ?? []).filter((s) => !only || only.includes(s.name));
  if (specs.length === 0) return [];
  const columns = await describeColumns(duck, config.data.path);
  const problems = checkSlices(specs, columns);
  if (problems.length)
    throw inputError(`${config.file}: ${problems[0].message}`, { file: config.file, path: problems[0].path });
  const select = specs.map((s, i) => `COALESCE(${conditionSql(s.where)}, FALSE) AS s${i}`);
  let cols;
  try {
    const r = await duck.conn.runAndReadAll(
      `SELECT ${select.join(', ')} FROM ${fromClause} LIMIT ${Math.max(0, Math.floor(rows))}`,
    );
    cols = r.getColumns();
  } catch (e) {
    const err = dataReadError(config.data.path, e);
    throw inputError(`Slices in ${config.file} could not be evaluated on ${config.data.path}: ${err.message}`, {
      file: config.file,
      path: ['slices'],
    });
  }
  return specs.map((s, i) => ({
    name: s.name,
    source: 'config' as const,
    description: s.description,
    rows: Uint8Array.from(cols[i], (v) => (v ? 1 : 0)),
  }));
}
