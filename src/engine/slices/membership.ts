/**
 * Which evaluation rows fall in each configured slice: one DuckDB pass over the same rows, in the same order, as
 * the scoring stream (same FROM clause and data.filter, the same first rows), each condition compiled by conditionSql.
 */
import { limitClause } from '../data/limitClause';
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

/** 1 where the value is true (a loop: TypedArray.from with a map function is ~10x slower over millions of rows). */
function truthy(values: readonly unknown[]): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let r = 0; r < values.length; r++) out[r] = values[r] ? 1 : 0;
  return out;
}

export async function configSliceMasks(
  duck: Duck,
  config: RecLensConfig,
  fromClause: string,
  rows: number,
  totalRows: number,
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
      `SELECT ${select.join(', ')} FROM ${fromClause}${limitClause(rows, totalRows)}`,
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
    rows: truthy(cols[i]),
  }));
}
