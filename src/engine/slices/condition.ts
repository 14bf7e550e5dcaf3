/**
 * Slice conditions from reclens.json: a structured predicate on data columns (equality, set membership, numeric
 * ranges, null; combined with all / any / not). Never SQL text from the config: conditions compile to SQL with
 * quoted identifiers and escaped literals, so a value or column name cannot change the query's structure.
 */
import { sqlIdent, sqlString } from '../data/duck';

export type SliceValue = string | number | boolean | null;

export type SliceCondition =
  | { column: string; equals: SliceValue }
  | { column: string; in: SliceValue[] }
  | { column: string; isNull: boolean }
  | { column: string; gt?: number; gte?: number; lt?: number; lte?: number }
  | { all: SliceCondition[] }
  | { any: SliceCondition[] }
  | { not: SliceCondition };

export interface SliceSpec {
  name: string;
  where: SliceCondition;
  description?: string;
}

const RANGE_OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function literal(v: SliceValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    // JSON numbers are finite; String() of a finite number is digits, '.', 'e', '-' only.
    if (!Number.isFinite(v)) throw new Error(`slice value ${v} is not a finite number`);
    return `(${String(v)})`;
  }
  return sqlString(v);
}

/** The columns a condition reads (for diagnostics). */
export function conditionColumns(
  c: SliceCondition,
  path: (string | number)[] = [],
): { column: string; path: (string | number)[]; kind: 'value' | 'range' | 'null' }[] {
  if ('all' in c) return c.all.flatMap((x, i) => conditionColumns(x, [...path, 'all', i]));
  if ('any' in c) return c.any.flatMap((x, i) => conditionColumns(x, [...path, 'any', i]));
  if ('not' in c) return conditionColumns(c.not, [...path, 'not']);
  const kind = 'isNull' in c ? 'null' : 'equals' in c || 'in' in c ? 'value' : 'range';
  return [{ column: c.column, path, kind }];
}

/** A SQL boolean expression (NULL compares count as false: the caller wraps it in COALESCE). */
export function conditionSql(c: SliceCondition): string {
  if ('all' in c) return c.all.length ? `(${c.all.map(conditionSql).join(' AND ')})` : 'TRUE';
  if ('any' in c) return c.any.length ? `(${c.any.map(conditionSql).join(' OR ')})` : 'FALSE';
  if ('not' in c) return `(NOT COALESCE(${conditionSql(c.not)}, FALSE))`;
  const col = sqlIdent(c.column);
  if ('isNull' in c) return `(${col} IS ${c.isNull ? '' : 'NOT '}NULL)`;
  if ('equals' in c) return c.equals === null ? `(${col} IS NULL)` : `(${col} = ${literal(c.equals)})`;
  if ('in' in c) {
    const values = c.in.filter((v) => v !== null);
    const parts = values.length ? [`${col} IN (${values.map(literal).join(', ')})`] : [];
    if (c.in.some((v) => v === null)) parts.push(`${col} IS NULL`);
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }
  const parts = (Object.keys(RANGE_OPS) as (keyof typeof RANGE_OPS)[])
    .filter((k) => c[k] !== undefined)
    .map((k) => `${col} ${RANGE_OPS[k]} ${literal(c[k]!)}`);
  return parts.length ? `(${parts.join(' AND ')})` : `(${col} IS NOT NULL)`;
}

/** The condition in words, for tables and messages. */
export function describeCondition(c: SliceCondition): string {
  if ('all' in c) return c.all.map(describeCondition).join(' and ');
  if ('any' in c) return `(${c.any.map(describeCondition).join(' or ')})`;
  if ('not' in c) return `not (${describeCondition(c.not)})`;
  if ('isNull' in c) return `${c.column} is ${c.isNull ? '' : 'not '}null`;
  if ('equals' in c) return `${c.column} = ${JSON.stringify(c.equals)}`;
  if ('in' in c) return `${c.column} in ${JSON.stringify(c.in)}`;
  const r = c as { column: string; gt?: number; gte?: number; lt?: number; lte?: number };
  const parts: string[] = [];
  if (r.gt !== undefined) parts.push(`> ${r.gt}`);
  if (r.gte !== undefined) parts.push(`>= ${r.gte}`);
  if (r.lt !== undefined) parts.push(`< ${r.lt}`);
  if (r.lte !== undefined) parts.push(`<= ${r.lte}`);
  return `${r.column} ${parts.join(' and ')}`;
}
