/**
 * A data file's columns as the scaffolder, `inspect --data` and completion need them: type, nulls, min / max,
 * distinct count, list widths and a few sample values. One SUMMARIZE pass plus one query per list column.
 */
import { arrayWidth, ColumnInfo, describeColumns, typeClass, TypeClass } from '../data/describe';
import { dataReadError, Duck, readExpression, sqlIdent } from '../data/duck';

export interface ColumnProfile extends ColumnInfo {
  cls: TypeClass;
  /** Element class for list columns. */
  elemCls?: TypeClass;
  nulls: number;
  /** Numeric columns only. */
  min?: number;
  max?: number;
  distinct: number;
  /** List columns: the width when every row has the same length. */
  width?: number;
  samples: string[];
}

export interface DataProfile {
  file: string;
  rows: number;
  columns: ColumnProfile[];
}

function shown(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object' && v && 'items' in (v as object)) {
    const items = (v as { items: unknown[] }).items;
    return `[${items.slice(0, 4).map(shown).join(', ')}${items.length > 4 ? `, ... (${items.length})` : ''}]`;
  }
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(4)));
  const s = String(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

export async function profileData(duck: Duck, file: string, sampleCount = 3): Promise<DataProfile> {
  const columns = await describeColumns(duck, file);
  const from = readExpression(file);
  try {
    const summary = new Map<string, Record<string, unknown>>();
    for (const o of (await duck.conn.runAndReadAll(`SUMMARIZE SELECT * FROM ${from}`)).getRowObjects())
      summary.set(String(o.column_name), o);
    const rows = Number(
      (await duck.conn.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${from}`)).getRowObjects()[0].n,
    );
    const sampleRows = (await duck.conn.runAndReadAll(`SELECT * FROM ${from} LIMIT ${sampleCount}`)).getRowObjects();
    const out: ColumnProfile[] = [];
    for (const c of columns) {
      const s = summary.get(c.name) ?? {};
      const cls = typeClass(c.type);
      const num = (v: unknown) =>
        v === null || v === undefined || !Number.isFinite(Number(v)) ? undefined : Number(v);
      const p: ColumnProfile = {
        ...c,
        cls,
        nulls: Math.round((Number(String(s.null_percentage ?? 0)) / 100) * rows),
        distinct: Number(s.approx_unique ?? 0),
        samples: sampleRows.map((r) => shown(r[c.name])),
      };
      if (cls === 'integer' || cls === 'float' || cls === 'boolean') {
        p.min = cls === 'boolean' ? 0 : num(s.min);
        p.max = cls === 'boolean' ? 1 : num(s.max);
      }
      if (cls === 'list') {
        p.elemCls = typeClass(c.type.replace(/\[\d*\]$/, ''));
        p.width = arrayWidth(c.type);
        if (p.width === undefined) {
          const r = (
            await duck.conn.runAndReadAll(
              `SELECT min(len(${sqlIdent(c.name)}))::BIGINT AS lo, max(len(${sqlIdent(c.name)}))::BIGINT AS hi FROM ${from}`,
            )
          ).getRowObjects()[0];
          if (r.lo !== null && Number(r.lo) === Number(r.hi)) p.width = Number(r.hi);
        }
      }
      // SUMMARIZE gives a null-percentage with two decimals; count exactly when it says "some".
      if (p.nulls > 0 || Number(String(s.null_percentage ?? 0)) > 0) {
        p.nulls = Number(
          (
            await duck.conn.runAndReadAll(
              `SELECT count(*) FILTER (WHERE ${sqlIdent(c.name)} IS NULL)::BIGINT AS n FROM ${from}`,
            )
          ).getRowObjects()[0].n,
        );
      }
      out.push(p);
    }
    return { file, rows, columns: out };
  } catch (e) {
    if ((e as Error).name === 'RecLensError') throw e;
    throw dataReadError(file, e);
  }
}
