/**
 * Possible target leakage: on a seeded sample of rows, a slot whose raw values alone rank the label with AUC >= 0.95,
 * or whose few distinct values each come with a single label (a transform of the label).
 */
import type { RecLensConfig } from '../config/types';
import { describeColumns, typeClass } from '../data/describe';
import { Duck, readExpression, sqlIdent } from '../data/duck';
import { auc } from '../metrics/auc';

export interface LeakageFinding {
  input: string;
  column: string;
  auc: number;
  transformOfLabel: boolean;
  sampleRows: number;
}

export async function scanLeakage(
  duck: Duck,
  config: RecLensConfig,
  modelInputs: string[],
  sampleRows = 20000,
  signal?: AbortSignal,
): Promise<LeakageFinding[]> {
  const cols = await describeColumns(duck, config.data.path);
  const numeric = new Set(
    cols.filter((c) => ['integer', 'float', 'boolean'].includes(typeClass(c.type))).map((c) => c.name),
  );
  const feeds: [string, string][] = [];
  for (const input of modelInputs) {
    const spec = config.inputs[input];
    const columns = !spec
      ? [input]
      : spec.kind === 'column'
        ? [spec.column]
        : spec.kind === 'columns'
          ? spec.columns
          : [];
    for (const c of columns) if (numeric.has(c) && c !== config.data.label) feeds.push([input, c]);
  }
  if (feeds.length === 0) return [];
  const sql = `SELECT CAST(${sqlIdent(config.data.label)} AS DOUBLE) AS y, ${feeds.map(([, c], i) => `CAST(${sqlIdent(c)} AS DOUBLE) AS f${i}`).join(', ')}
    FROM ${readExpression(config.data.path)} USING SAMPLE reservoir(${sampleRows} ROWS) REPEATABLE (42)`;
  const r = await duck.conn.runAndReadAll(sql);
  const columns = r.getColumns() as (number | null)[][];
  const y = columns[0];
  const findings: LeakageFinding[] = [];
  for (let i = 0; i < feeds.length; i++) {
    if (signal?.aborted) break;
    const f = columns[i + 1];
    const keep: number[] = [];
    for (let k = 0; k < y.length; k++)
      if ((y[k] === 0 || y[k] === 1) && f[k] !== null && Number.isFinite(f[k]!)) keep.push(k);
    if (keep.length < 20) continue;
    const labels = Uint8Array.from(keep, (k) => y[k]!);
    const a = auc(
      labels,
      Float32Array.from(keep, (k) => f[k]!),
    );
    if (Number.isNaN(a)) continue;
    // A few distinct values, each seen with one label only: the column encodes the label.
    const byValue = new Map<number, Set<number>>();
    for (const k of keep) {
      const v = f[k]!;
      if (!byValue.has(v)) byValue.set(v, new Set());
      byValue.get(v)!.add(y[k]!);
    }
    const transform = byValue.size >= 2 && byValue.size <= 20 && [...byValue.values()].every((s) => s.size === 1);
    const strength = Math.max(a, 1 - a);
    if (strength >= 0.95 || transform)
      findings.push({
        input: feeds[i][0],
        column: feeds[i][1],
        auc: strength,
        transformOfLabel: transform,
        sampleRows: keep.length,
      });
  }
  return findings;
}
