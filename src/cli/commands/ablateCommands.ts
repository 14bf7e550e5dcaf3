import * as path from 'path';
import { ablate, AblationMethod } from '../../engine/ablation/ablate';
import { ceiling } from '../../engine/ablation/ceiling';
import { requireConfig } from '../../engine/config/loadConfig';
import type { ProviderName } from '../../engine/config/types';
import { fmt, int, interval, table } from '../format';
import type { Io } from '../io';
import { withCliProgress } from '../progress';
import { saveRecord } from '../records';

export interface CommonArgs {
  config: string;
  json: boolean;
  seed: number;
  limit?: number;
  providers?: ProviderName[];
  batchSize?: number;
  runsDir?: string;
  record: boolean;
  quiet?: boolean;
  progress?: boolean;
}

export async function ablateCommand(args: CommonArgs & { slots?: string[]; method: AblationMethod | 'both'; repeats: number; bootstrap: number; withinGroup: boolean; slice?: string }, io: Io): Promise<number> {
  const { config } = requireConfig(args.config);
  const { result: r, record } = await withCliProgress(io.progress, args, (control) => ablate(config, {
    seed: args.seed, limit: args.limit, providers: args.providers, batchSize: args.batchSize,
    slots: args.slots, method: args.method, repeats: args.repeats, bootstrap: args.bootstrap, withinGroup: args.withinGroup, slice: args.slice,
  }, control));
  const file = saveRecord(args, config.dir, record, io);
  if (args.json) {
    io.out(JSON.stringify({ ...r, runId: record.id, runRecord: file ?? null }, null, 2));
    return 0;
  }
  io.out([
    `RecLens ablate: ${config.name ?? path.basename(config.dir)} (${int(r.rows)} rows${r.slice ? ` of slice ${r.slice}` : ''}, provider ${r.executionProvider}, seed ${args.seed})`,
    `  baseline  AUC ${fmt(r.baseline.auc)}  GAUC ${fmt(r.baseline.gauc)}  LogLoss ${fmt(r.baseline.logloss)}`,
    `  impact = full minus ablated (LogLoss: ablated minus full), so bigger = more useful; 95% paired ${r.bootstrap ? `${r.bootstrap.unit} bootstrap, ${r.bootstrap.replicates} replicates` : 'intervals off'}`,
    table([
      ['slot', 'method', 'AUC', 'dAUC', 'dAUC 95%', 'dGAUC', 'dLogLoss'],
      ...r.results.map((x) => [x.slot, x.method + (x.repeats ? ` x${x.repeats}` : ''), fmt(x.auc), fmt(x.deltaAuc), interval(x.ci?.deltaAuc), fmt(x.deltaGauc), fmt(x.deltaLogloss)]),
    ]),
    `  ${r.inferencePasses} inference passes in ${fmt(r.seconds, 2)} s`,
    ...(file ? [`  run record ${path.relative(process.cwd(), file)}`] : []),
  ].join('\n'));
  return 0;
}

export async function ceilingCommand(args: CommonArgs & { slots?: string[]; candidates: number }, io: Io): Promise<number> {
  const { config } = requireConfig(args.config);
  const { result: r, record } = await withCliProgress(io.progress, args, (control) => ceiling(config, {
    seed: args.seed, limit: args.limit, providers: args.providers, batchSize: args.batchSize, slots: args.slots, candidates: args.candidates,
  }, control));
  const file = saveRecord(args, config.dir, record, io);
  if (args.json) {
    io.out(JSON.stringify({ ...r, runId: record.id, runRecord: file ?? null }, null, 2));
    return 0;
  }
  io.out([
    `RecLens ceiling: ${config.name ?? path.basename(config.dir)} (${int(r.rows)} rows, provider ${r.executionProvider}, seed ${args.seed})`,
    '  ceiling = AUC(oracle) - AUC(mask); realised = AUC(full) - AUC(mask); efficiency = realised / ceiling',
    table([
      ['slot', 'K', 'AUC full', 'AUC mask', 'AUC oracle', 'ceiling', 'realised', 'efficiency'],
      ...r.results.map((x) => [x.slot, String(x.candidates), fmt(x.aucFull), fmt(x.aucMask), fmt(x.aucOracle), fmt(x.ceiling), fmt(x.realised), fmt(x.efficiency, 3)]),
    ]),
    `  ${int(r.inferences)} inferences in ${fmt(r.seconds, 2)} s (${int(Math.round(r.inferences / r.seconds))}/s)`,
    ...(file ? [`  run record ${path.relative(process.cwd(), file)}`] : []),
  ].join('\n'));
  return 0;
}

export async function lisCommand(args: CommonArgs & { preferences?: string[]; tables?: string[]; bootstrap: number; substitution: boolean; folds?: number; splits?: number; sweep?: string[] }, io: Io): Promise<number> {
  const { config } = requireConfig(args.config);
  const { lis, parseSweep } = await import('../../engine/lis/lis');
  const { result: r, record } = await withCliProgress(io.progress, args, (control) => lis(config, {
    seed: args.seed, limit: args.limit, providers: args.providers, batchSize: args.batchSize,
    preferences: args.preferences, tables: args.tables, bootstrap: args.bootstrap, substitution: args.substitution,
    folds: args.folds, splits: args.splits, sweep: args.sweep?.length ? parseSweep(args.sweep) : undefined,
  }, control));
  const file = saveRecord(args, config.dir, record, io);
  if (args.json) {
    io.out(JSON.stringify({ ...r, runId: record.id, runRecord: file ?? null }, null, 2));
    return 0;
  }
  const spread = (s: [number, number] | null) => (s ? `${fmt(s[0])}..${fmt(s[1])}` : '');
  const eff = (t: typeof r.tables[number], p: string) => (t.efficiency[p] === null || t.efficiency[p] === undefined ? 'undefined' : `${fmt(t.efficiency[p], 2)} ${t.efficiencyCi[p] ? `[${fmt(t.efficiencyCi[p]![0], 2)}, ${fmt(t.efficiencyCi[p]![1], 2)}]` : ''}`);
  io.out([
    `RecLens LIS: ${config.name ?? path.basename(config.dir)} (${int(r.rows)} rows, ${int(r.users)} users; probes cross-fitted by user, ${r.probe.folds} folds x ${r.probe.splits} splits, every row scored out of fold; seed ${args.seed})`,
    `  baseline probe AUC ${fmt(r.baselineProbeAuc)} (${spread(r.baselineProbeAucSpread)} over splits; logistic regression on the ranker's logit)`,
    `  numbers: mean over splits; 95% intervals from ${r.probe.bootstrap} user-bootstrap replicates pooled over the splits`,
    'Preference data (LIS: leaked, the upper bound; value: pairs from events before the evaluation start)',
    table([['name', 'LIS', 'LIS 95%', 'over splits', 'value', 'value 95%', 'own user out', 'pairs leak / hist'], ...r.preferences.map((p) => [p.name, fmt(p.lis), interval(p.lisCi), spread(p.lisSpread), p.value === null ? 'none' : fmt(p.value), interval(p.valueCi), p.selfLeak === 'corrected' ? 'yes' : 'NO', `${int(p.leakPairs)} / ${p.timed ? int(p.histPairs) : '-'}`])]),
    ...(r.tables.length ? ['Embedding tables (AIS; efficiency = AIS / LIS [95%])', table([['name', 'AIS', 'AIS 95%', 'over splits', ...r.preferences.map((p) => `eff. ${p.name}`)], ...r.tables.map((t) => [t.name, fmt(t.ais), interval(t.aisCi), spread(t.aisSpread), ...r.preferences.map((p) => eff(t, p.name))])])] : []),
    ...(r.capacity.length ? ['Probe capacity (logistic vs pairwise-product probe, same folds)', ...r.capacity.map((c) => `  - ${c}`)] : []),
    ...(r.sweep?.length ? ['Sensitivity: LIS by how the preference data is built', table([['preference', 'window', 'minCount', 'LIS', 'LIS 95%', 'over splits', 'value', 'value 95%', 'pairs leak / hist'], ...r.sweep.map((x) => [x.preference, x.window === null ? 'none' : String(x.window), String(x.minCount), fmt(x.lis), interval(x.lisCi), spread(x.lisSpread), x.value === null ? 'none' : fmt(x.value), interval(x.valueCi), `${int(x.leakPairs)} / ${int(x.histPairs)}`])])] : []),
    ...(r.substitution?.length ? ['Frozen substitution (3c): the ranker with T replaced by T_P (partners\' weighted mean in P_leak)', table([['input', 'table', 'preference', 'AUC', 'AUC with T_P', 'delta'], ...r.substitution.map((x) => [x.input, x.table, x.preference, fmt(x.auc), fmt(x.aucSubstituted), fmt(x.delta)])])] : []),
    'Diagnosis',
    ...r.diagnosis.map((d) => `  - ${d}`),
    `  ${fmt(r.seconds, 2)} s, provider ${r.executionProvider}`,
    ...(file ? [`  run record ${path.relative(process.cwd(), file)}`] : []),
  ].join('\n'));
  return 0;
}
