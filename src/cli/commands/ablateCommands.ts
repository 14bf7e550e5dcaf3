import * as path from 'path';
import { ablate, AblationMethod } from '../../engine/ablation/ablate';
import { ceiling } from '../../engine/ablation/ceiling';
import { requireConfig } from '../../engine/config/loadConfig';
import type { ProviderName } from '../../engine/config/types';
import { fmt, int, interval, table } from '../format';
import type { Io } from '../io';
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
}

export async function ablateCommand(args: CommonArgs & { slots?: string[]; method: AblationMethod | 'both'; repeats: number; bootstrap: number; withinGroup: boolean; slice?: string }, io: Io): Promise<number> {
  const { config } = requireConfig(args.config);
  const { result: r, record } = await ablate(config, {
    seed: args.seed, limit: args.limit, providers: args.providers, batchSize: args.batchSize,
    slots: args.slots, method: args.method, repeats: args.repeats, bootstrap: args.bootstrap, withinGroup: args.withinGroup, slice: args.slice,
  });
  const file = saveRecord(args, config.dir, record);
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
  const { result: r, record } = await ceiling(config, {
    seed: args.seed, limit: args.limit, providers: args.providers, batchSize: args.batchSize, slots: args.slots, candidates: args.candidates,
  });
  const file = saveRecord(args, config.dir, record);
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

export async function lisCommand(args: CommonArgs & { preferences?: string[]; tables?: string[]; bootstrap: number; substitution: boolean }, io: Io): Promise<number> {
  const { config } = requireConfig(args.config);
  const { lis } = await import('../../engine/lis/lis');
  const { result: r, record } = await lis(config, {
    seed: args.seed, limit: args.limit, providers: args.providers, batchSize: args.batchSize,
    preferences: args.preferences, tables: args.tables, bootstrap: args.bootstrap, substitution: args.substitution,
  });
  const file = saveRecord(args, config.dir, record);
  if (args.json) {
    io.out(JSON.stringify({ ...r, runId: record.id, runRecord: file ?? null }, null, 2));
    return 0;
  }
  io.out([
    `RecLens LIS: ${config.name ?? path.basename(config.dir)} (${int(r.rows)} rows; probes fitted on ${int(r.fitRows)}, scored on ${int(r.scoreRows)}; seed ${args.seed})`,
    `  baseline probe AUC ${fmt(r.baselineProbeAuc)} (logistic regression on the ranker's logit)`,
    'Preference data (LIS: leaked, the upper bound; value: historical pairs only)',
    table([['name', 'LIS', 'LIS 95%', 'value', 'value 95%', 'pairs leak / hist'], ...r.preferences.map((p) => [p.name, fmt(p.lis), interval(p.lisCi), fmt(p.value), interval(p.valueCi), `${int(p.leakPairs)} / ${int(p.histPairs)}`])]),
    ...(r.tables.length ? ['Embedding tables (AIS; efficiency = AIS / LIS)', table([['name', 'AIS', 'AIS 95%', ...r.preferences.map((p) => `eff. ${p.name}`)], ...r.tables.map((t) => [t.name, fmt(t.ais), interval(t.aisCi), ...r.preferences.map((p) => fmt(t.efficiency[p.name], 2))])])] : []),
    ...(r.substitution?.length ? ['Frozen substitution (3c): the ranker with T replaced by T_P (partners\' weighted mean in P_leak)', table([['input', 'table', 'preference', 'AUC', 'AUC with T_P', 'delta'], ...r.substitution.map((x) => [x.input, x.table, x.preference, fmt(x.auc), fmt(x.aucSubstituted), fmt(x.delta)])])] : []),
    'Diagnosis',
    ...r.diagnosis.map((d) => `  - ${d}`),
    `  ${fmt(r.seconds, 2)} s, provider ${r.executionProvider}`,
    ...(file ? [`  run record ${path.relative(process.cwd(), file)}`] : []),
  ].join('\n'));
  return 0;
}
