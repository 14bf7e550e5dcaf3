/** Column names, DuckDB types and row count of a data file. */
import { dataReadError, Duck, readExpression } from './duck';

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface DataDescription {
  file: string;
  columns: ColumnInfo[];
  rows: number;
}

export async function describeColumns(duck: Duck, file: string): Promise<ColumnInfo[]> {
  try {
    const r = await duck.conn.runAndReadAll(`DESCRIBE SELECT * FROM ${readExpression(file)}`);
    return r.getRowObjects().map((o) => ({ name: String(o.column_name), type: String(o.column_type) }));
  } catch (e) {
    throw dataReadError(file, e);
  }
}

export async function describeData(duck: Duck, file: string, filter?: string): Promise<DataDescription> {
  const columns = await describeColumns(duck, file);
  try {
    const r = await duck.conn.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${readExpression(file)}${filter ? ` WHERE ${filter}` : ''}`);
    return { file, columns, rows: Number(r.getRowObjects()[0].n) };
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
