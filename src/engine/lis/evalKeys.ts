/** The user, item and time of every evaluation row, in the same order as the scored rows. */
import type { RecLensConfig } from '../config/types';
import { describeColumns, typeClass } from '../data/describe';
import { dataReadError, Duck, readExpression, sqlIdent } from '../data/duck';
import { Key, normaliseKey } from '../data/keys';
import { applyFilter, whereClause } from '../data/whereClause';
import { inputError } from '../errors';
import { suggestion } from '../util/suggest';

export interface EvalKeys {
  users: Key[];
  items: Key[];
  times: Float64Array;
}

/** A SQL expression giving a column as seconds (or plain numbers) whatever its type. */
export function timeExpression(name: string, type: string): string {
  const cls = typeClass(type);
  if (cls === 'integer' || cls === 'float') return `CAST(${sqlIdent(name)} AS DOUBLE)`;
  if (/^(TIMESTAMP|DATE)/i.test(type)) return `epoch(${sqlIdent(name)})`;
  return `epoch(CAST(${sqlIdent(name)} AS TIMESTAMP))`;
}

export function keyExpression(name: string, type: string): string {
  return typeClass(type) === 'integer' ? `CAST(${sqlIdent(name)} AS DOUBLE)` : `CAST(${sqlIdent(name)} AS VARCHAR)`;
}

/**
 * The columns of the config's data file: their names, and the type of a named one, which throws a message naming the
 * config's data section (with the nearest column name) when the data has no such column.
 */
export async function dataColumns(
  duck: Duck,
  config: RecLensConfig,
): Promise<{ names: string[]; typeOf(name: string): string }> {
  const cols = await describeColumns(duck, config.data.path);
  const names = cols.map((c) => c.name);
  const typeOf = (n: string) => {
    const c = cols.find((x) => x.name === n);
    if (!c)
      throw inputError(`Column "${n}" is not in ${config.data.path}.${suggestion(n, names)}`, {
        file: config.file,
        path: ['data'],
      });
    return c.type;
  };
  return { names, typeOf };
}

export async function readEvalKeys(duck: Duck, config: RecLensConfig, rows: number, what: string): Promise<EvalKeys> {
  const { group, item, time } = config.data;
  const missing = [
    ['group', group],
    ['item', item],
    ['time', time],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => `data.${k}`);
  if (missing.length) {
    throw inputError(
      `${what} needs the evaluation rows' user, item and time: set ${missing.join(', ')} in reclens.json.`,
      { file: config.file, path: ['data'] },
    );
  }
  const columns = await dataColumns(duck, config);
  const type = columns.typeOf;
  await applyFilter(duck, config, columns.names);
  const sql = `SELECT ${keyExpression(group!, type(group!))}, ${keyExpression(item!, type(item!))}, ${timeExpression(time!, type(time!))} FROM ${readExpression(config.data.path)}${whereClause(config)} LIMIT ${rows}`;
  try {
    const r = await duck.conn.runAndReadAll(sql);
    const [u, i, t] = r.getColumns();
    return {
      users: u.map(normaliseKey),
      items: i.map(normaliseKey),
      times: Float64Array.from(t as number[], (x) => (x === null ? NaN : Number(x))),
    };
  } catch (e) {
    throw dataReadError(config.data.path, e);
  }
}
