/**
 * What the data says that the metrics would otherwise hide, found once per job (every job opens a workspace) and
 * by `reclens check`, with the same words: rows with no group (GAUC and the bootstrap pool them into one group) and
 * a label written as words DuckDB reads as booleans ("yes"/"no" become true/false without a word).
 */
import * as path from 'path';
import type { RecLensConfig } from '../config/types';
import { Duck, sqlIdent, sqlString } from './duck';
import { DataDescription, typeClass } from './describe';

export interface DataWarning {
  code: 'null-group' | 'label-words';
  /** The config field it is about. */
  path: (string | number)[];
  message: string;
}

const count = (n: number) => n.toLocaleString('en-US');

export async function dataWarnings(duck: Duck, config: RecLensConfig, data: DataDescription): Promise<DataWarning[]> {
  const out: DataWarning[] = [];
  const group = config.data.group;
  if (group && data.nullGroups) {
    out.push({
      code: 'null-group',
      path: ['data', 'group'],
      message: `${count(data.nullGroups)} of ${count(data.rows)} rows have no group (NULL in "${group}"); GAUC and the bootstrap treat them as one group. Fill the column or filter those rows out (data.filter: ${group} IS NOT NULL).`,
    });
  }
  const label = data.columns.find((c) => c.name === config.data.label);
  const words = label ? await labelWords(duck, config.data.path, label.name, label.type) : [];
  if (words.length) {
    out.push({
      code: 'label-words',
      path: ['data', 'label'],
      message: `Label column "${label!.name}" holds the words ${words.map((w) => `"${w.word}"`).join(', ')} (${words.map((w) => `${count(w.rows)} rows "${w.word}"`).join(', ')} in the file), which DuckDB reads as true/false (true = positive). If that is not what they mean, write the label as 0/1.`,
    });
  }
  return out;
}

/** Words other than true/false/0/1 in a CSV column DuckDB typed BOOLEAN, with their row counts (at most 8). */
async function labelWords(
  duck: Duck,
  file: string,
  column: string,
  type: string,
): Promise<{ word: string; rows: number }[]> {
  const ext = path.extname(file).toLowerCase();
  if (typeClass(type) !== 'boolean' || (ext !== '.csv' && ext !== '.tsv')) return [];
  const src = `read_csv(${sqlString(file)}, header = true, all_varchar = true${ext === '.tsv' ? ", delim = '\t'" : ''})`;
  const c = sqlIdent(column);
  const r = await duck.conn.runAndReadAll(
    `SELECT lower(trim(${c})) AS v, count(*)::BIGINT AS n FROM ${src} WHERE ${c} IS NOT NULL AND lower(trim(${c})) NOT IN ('true', 'false', '0', '1') GROUP BY 1 ORDER BY 1 LIMIT 8`,
  );
  return r.getRowObjects().map((o) => ({ word: String(o.v), rows: Number(o.n) }));
}
