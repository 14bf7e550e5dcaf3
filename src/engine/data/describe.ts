/** Column names, DuckDB types and row count of a data file. */
import type { RecLensConfig } from '../config/types';
import { dataReadError, Duck, readExpression, sqlIdent } from './duck';
import { applyFilter, whereClause } from './whereClause';

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface DataDescription {
  file: string;
  columns: ColumnInfo[];
  rows: number;
  /** Rows (after data.filter) with a NULL in data.group, when the data has that column. */
  nullGroups?: number;
}

export async function describeColumns(duck: Duck, file: string): Promise<ColumnInfo[]> {
  try {
    const r = await duck.conn.runAndReadAll(`DESCRIBE SELECT * FROM ${readExpression(file)}`);
    return r.getRowObjects().map((o) => ({ name: String(o.column_name), type: String(o.column_type) }));
  } catch (e) {
    throw dataReadError(file, e);
  }
}

/** Columns of the config's data, and its row count after data.filter (which is compiled here, see whereClause). */
export async function describeData(duck: Duck, config: RecLensConfig): Promise<DataDescription> {
  const file = config.data.path;
  const columns = await describeColumns(duck, file);
  await applyFilter(
    duck,
    config,
    columns.map((c) => c.name),
  );
  // NULL groups are counted in the same scan (see dataWarnings).
  const group = config.data.group && columns.some((c) => c.name === config.data.group) ? config.data.group : undefined;
  const nulls = group ? `, count(*) FILTER (WHERE ${sqlIdent(group)} IS NULL)::BIGINT AS g` : '';
  try {
    const r = (
      await duck.conn.runAndReadAll(
        `SELECT count(*)::BIGINT AS n${nulls} FROM ${readExpression(file)}${whereClause(config)}`,
      )
    ).getRowObjects()[0];
    return { file, columns, rows: Number(r.n), ...(group ? { nullGroups: Number(r.g) } : {}) };
  } catch (e) {
    throw dataReadError(file, e);
  }
}

export type TypeClass = 'float' | 'integer' | 'boolean' | 'string' | 'list' | 'other';

/** What a DuckDB type can feed: list/array types (FLOAT[], DOUBLE[32]) are 'list'. */
export function typeClass(type: string): TypeClass {
  const t = type.toUpperCase();
  if (t.endsWith(']')) return 'list';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return 'float';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|INT)/.test(t)) return 'integer';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR') return 'string';
  return 'other';
}

/** Element type of a list / array type, e.g. FLOAT[32] -> FLOAT. */
export function listElementType(type: string): string {
  return type.replace(/\[\d*\]$/, '');
}

/** Fixed width of an ARRAY type (FLOAT[32] -> 32), or undefined for variable-length lists. */
export function arrayWidth(type: string): number | undefined {
  const m = /\[(\d+)\]$/.exec(type);
  return m ? Number(m[1]) : undefined;
}
