import * as path from 'path';
import { requireConfig } from '../../engine/config/loadConfig';
import type { ProviderName } from '../../engine/config/types';
import { evaluate } from '../../engine/evaluate';
import { fmt, int, interval } from '../format';
import type { Io } from '../io';
import { withCliProgress } from '../progress';
import { saveRecord } from '../records';
import { sliceLines } from './sliceTable';

export interface EvalArgs {
  config: string;
  json: boolean;
  limit?: number;
  seed: number;
  bootstrap: number;
  providers?: ProviderName[];
  batchSize?: number;
  runsDir?: string;
  record: boolean;
  progress?: boolean;
  quiet?: boolean;
  /** false: skip the per-slice metrics (--no-slices). */
  slices?: boolean;
}

export async function evalCommand(args: EvalArgs, io: Io): Promise<number> {
  const { config } = requireConfig(args.config);
  const { result: r, record } = await withCliProgress(io.progress, args, (control) => evaluate(config, {
    limit: args.limit, seed: args.seed, bootstrap: args.bootstrap, providers: args.providers, batchSize: args.batchSize, slices: args.slices,
  }, control));
  const recordFile = saveRecord(args, config.dir, record, io);
  if (args.json) {
    io.out(JSON.stringify({ ...r, runId: record.id, runRecord: recordFile ?? null }, null, 2));
    return 0;
  }
  const ci = r.ci;
  const lines = [
    `RecLens eval: ${config.name ?? path.basename(config.dir)} (${config.file})`,
    `  rows          ${int(r.rows)}   positives ${int(r.positives)} (${fmt((100 * r.positives) / r.rows, 1)}%)`,
    `  AUC           ${fmt(r.auc)}  ${interval(ci?.auc)}`,
    `  GAUC          ${r.gauc === null ? 'n/a (no data.group column)' : `${fmt(r.gauc)}  ${interval(ci?.gauc)}`}${r.groups ? `   groups used ${int(r.groups.used)}, skipped ${int(r.groups.skipped)} (one class)` : ''}`,
    `  LogLoss       ${fmt(r.logloss)}  ${interval(ci?.logloss)}`,
    `  calibration   mean prediction ${fmt(r.calibration.meanPrediction)} vs observed ${fmt(r.calibration.observedRate)} (ratio ${fmt(r.calibration.ratio, 3)}), ECE ${fmt(r.calibration.ece)}`,
  ];
  if (r.bootstrap) lines.push(`  intervals     95% percentile, ${r.bootstrap.replicates} bootstrap replicates by ${r.bootstrap.unit}, seed ${r.bootstrap.seed}`);
  for (const [input, m] of Object.entries(r.missingKeys)) {
    if (m.missing > 0) lines.push(`  note          ${input}: ${int(m.missing)} of ${int(m.total)} keys (${fmt((100 * m.missing) / m.total, 1)}%) not in the table; fallback vector used`);
  }
  if (r.slices) lines.push(...sliceLines(r.slices));
  lines.push(`  provider      ${r.executionProvider}`);
  for (const f of r.providerFallbacks) lines.push(`  skipped       ${f.provider}: ${f.reason}`);
  lines.push(`  time          ${fmt(r.seconds, 2)} s (${int(Math.round(r.rows / record.timings.inferenceSeconds))} rows/s inference)`);
  if (recordFile) lines.push(`  run record    ${path.relative(process.cwd(), recordFile)}`);
  io.out(lines.join('\n'));
  return 0;
}
