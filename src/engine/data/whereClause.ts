/**
 * The one way SQL in RecLens gets the config's row filter: `applyFilter` compiles `data.filter` once per config
 * (see filterExpression.ts) and `whereClause` hands out the compiled SQL. A filter that was never compiled is a
 * bug, and refusing it here keeps the raw text from ever reaching DuckDB.
 */
import type { RecLensConfig } from '../config/types';
import { inputError } from '../errors';
import type { Duck } from './duck';
import { compileFilter } from './filterExpression';

const compiled = new WeakMap<RecLensConfig, { text: string; sql: string }>();

/** Compiles `config.data.filter` against the data's columns; a bad filter is an input error at data.filter. */
export async function applyFilter(duck: Duck, config: RecLensConfig, columns: readonly string[]): Promise<void> {
  const text = config.data.filter;
  if (text === undefined || compiled.get(config)?.text === text) return;
  const r = await compileFilter(duck, text, columns);
  if (!r.ok) {
    const at = r.offset !== undefined ? ` (at character ${r.offset + 1} of the filter)` : '';
    throw inputError(`${r.message}${at}`, { file: config.file, path: ['data', 'filter'] });
  }
  compiled.set(config, { text, sql: r.sql });
}

/** ` WHERE <compiled filter>`, or '' without a filter. */
export function whereClause(config: RecLensConfig): string {
  const text = config.data.filter;
  if (text === undefined) return '';
  const c = compiled.get(config);
  if (!c || c.text !== text) throw new Error('RecLens bug: data.filter used before applyFilter compiled it');
  return ` WHERE ${c.sql}`;
}
