import * as path from 'path';
import { requireConfig } from '../../engine/config/loadConfig';
import type { BucketSplit } from '../../engine/embedding/alignment';
import { align, embed } from '../../engine/embedding/jobs';
import { usageError } from '../../engine/errors';
import { fmt, int, table } from '../format';
import type { Io } from '../io';
import { withCliProgress } from '../progress';
import { saveRecord } from '../records';
import type { CommonArgs } from './ablateCommands';

export async function embedCommand(args: CommonArgs & { table?: string; method: string; sample?: number; out?: string; k?: number }, io: Io): Promise<number> {
  if (!args.table) throw usageError('embed needs --table <name> (a table in reclens.json, or onnx:<initializer>).');
  if (args.method !== 'pca' && args.method !== 'umap') throw usageError(`--method takes pca or umap, not "${args.method}".`);
  const { config } = requireConfig(args.config);
  const { result: r, record } = await withCliProgress(io.progress, args, (control) => embed(config, { table: args.table!, method: args.method as 'pca' | 'umap', sample: args.sample, seed: args.seed, providers: args.providers, out: args.out, k: args.k }, control));
  const file = saveRecord(args, config.dir, record, io);
  if (args.json) { const { projection: _sample, ...rest } = r; void _sample; io.out(JSON.stringify({ ...rest, runId: record.id, runRecord: file ?? null }, null, 2)); return 0; }
  io.out([
    `RecLens embed: ${r.table} (${int(r.rows)} rows${r.sampleSize < r.rows ? `, seeded sample of ${int(r.sampleSize)}` : ''}), ${r.method.toUpperCase()}, seed ${args.seed}`,
    ...(r.explainedVariance ? [`  explained variance of the top components: ${r.explainedVariance.map((v) => `${(100 * v).toFixed(1)}%`).join(', ')}`] : []),
    `  neighbours computed on ${r.knnProvider}; ${fmt(r.seconds, 2)} s`,
    r.out ? `  coordinates   ${path.relative(process.cwd(), r.out)} (Parquet: id, x, y)` : '  coordinates   not saved (pass --out coords.parquet to write them; the run record keeps a sample for the report)',
    ...(file ? [`  run record    ${path.relative(process.cwd(), file)}`] : []),
  ].join('\n'));
  return 0;
}

const split = (s: BucketSplit | null) => (s ? [fmt(s.overall), fmt(s.cold), fmt(s.warm), fmt(s.hot), int(s.count)] : ['n/a', '', '', '', '']);

export async function alignCommand(args: CommonArgs & { table?: string; against?: string; preferences?: string; codes?: string; k?: number }, io: Io): Promise<number> {
  if (!args.table) throw usageError('align needs --table <name>.');
  const { config } = requireConfig(args.config);
  const { result: r, record } = await withCliProgress(io.progress, args, (control) => align(config, { table: args.table!, against: args.against, preferences: args.preferences, codes: args.codes, k: args.k, seed: args.seed, providers: args.providers }, control));
  const file = saveRecord(args, config.dir, record, io);
  if (args.json) { io.out(JSON.stringify({ ...r, runId: record.id, runRecord: file ?? null }, null, 2)); return 0; }
  const rows = [['measure', 'overall', 'cold', 'warm', 'hot', 'n']];
  if (r.recallAtK) rows.push([`recall@${r.k} of ${r.preferences} pairs`, ...split(r.recallAtK)]);
  if (r.recallAtKAgainst) rows.push([`  same for ${r.against}`, ...split(r.recallAtKAgainst)]);
  if (r.jaccardAtK) rows.push([`Jaccard@${r.k} vs ${r.against}`, ...split(r.jaccardAtK)]);
  if (r.alignment) rows.push(['alignment (lower = closer pairs)', ...split(r.alignment)]);
  io.out([
    `RecLens align: ${r.table} (${int(r.rows)} rows; buckets cold ${int(r.buckets.cold)}, warm ${int(r.buckets.warm)}, hot ${int(r.buckets.hot)})`,
    table(rows),
    `  uniformity ${fmt(r.uniformity)} (lower = more uniform)${r.sharedIds !== null ? `; ${int(r.sharedIds)} ids shared with ${r.against}` : ''}`,
    ...(r.semanticIds ? [`  semantic ids: ${r.semanticIds.levels} levels, utilisation ${r.semanticIds.utilisation.map((u) => fmt(u, 3)).join(' / ')}, collision rate ${fmt(r.semanticIds.collisionRate, 3)}, pairs with equal codes ${fmt(r.semanticIds.pairsSameCode, 3)} (first level ${fmt(r.semanticIds.pairsSameFirstLevel, 3)})`] : []),
    `  neighbours on ${r.knnProvider}; ${fmt(r.seconds, 2)} s`,
    ...(file ? [`  run record ${path.relative(process.cwd(), file)}`] : []),
  ].join('\n'));
  return 0;
}
