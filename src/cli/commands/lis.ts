/** `reclens lis`: leakage-informed scores of preference data and embedding tables, with the diagnosis in words. */
import type { Flags } from '../flags';
import { fmt, int, interval, table } from '../format';
import type { Io } from '../io';
import { configTitle, jobCommand } from '../jobCommand';

export const lisCommand = (flags: Flags, io: Io): Promise<number> =>
  jobCommand('lis', flags, io, ({ result: r, config, options }) => {
    const spread = (s: [number, number] | null) => (s ? `${fmt(s[0])}..${fmt(s[1])}` : '');
    const eff = (t: (typeof r.tables)[number], p: string) =>
      t.efficiency[p] === null || t.efficiency[p] === undefined
        ? 'undefined'
        : `${fmt(t.efficiency[p], 2)} ${t.efficiencyCi[p] ? `[${fmt(t.efficiencyCi[p]![0], 2)}, ${fmt(t.efficiencyCi[p]![1], 2)}]` : ''}`;
    return [
      `RecLens LIS: ${configTitle(config)} (${int(r.rows)} rows, ${int(r.users)} users; probes cross-fitted by user, ${r.probe.folds} folds x ${r.probe.splits} splits, every row scored out of fold; seed ${options.seed})`,
      `  baseline probe AUC ${fmt(r.baselineProbeAuc)} (${spread(r.baselineProbeAucSpread)} over splits; logistic regression on the ranker's logit)`,
      `  numbers: mean over splits; 95% intervals from ${r.probe.bootstrap} user-bootstrap replicates pooled over the splits`,
      'Preference data (LIS: leaked, the upper bound; value: pairs from events before the evaluation start)',
      table([
        ['name', 'LIS', 'LIS 95%', 'over splits', 'value', 'value 95%', 'own user out', 'pairs leak / hist'],
        ...r.preferences.map((p) => [
          p.name,
          fmt(p.lis),
          interval(p.lisCi),
          spread(p.lisSpread),
          p.value === null ? 'none' : fmt(p.value),
          interval(p.valueCi),
          p.selfLeak === 'corrected' ? 'yes' : 'NO',
          `${int(p.leakPairs)} / ${p.timed ? int(p.histPairs) : '-'}`,
        ]),
      ]),
      ...(r.tables.length
        ? [
            'Embedding tables (AIS; efficiency = AIS / LIS [95%])',
            table([
              ['name', 'AIS', 'AIS 95%', 'over splits', ...r.preferences.map((p) => `eff. ${p.name}`)],
              ...r.tables.map((t) => [
                t.name,
                fmt(t.ais),
                interval(t.aisCi),
                spread(t.aisSpread),
                ...r.preferences.map((p) => eff(t, p.name)),
              ]),
            ]),
          ]
        : []),
      ...(r.capacity.length
        ? ['Probe capacity (logistic vs pairwise-product probe, same folds)', ...r.capacity.map((c) => `  - ${c}`)]
        : []),
      ...(r.sweep?.length
        ? [
            'Sensitivity: LIS by how the preference data is built',
            table([
              [
                'preference',
                'window',
                'minCount',
                'LIS',
                'LIS 95%',
                'over splits',
                'value',
                'value 95%',
                'pairs leak / hist',
              ],
              ...r.sweep.map((x) => [
                x.preference,
                x.window === null ? 'none' : String(x.window),
                String(x.minCount),
                fmt(x.lis),
                interval(x.lisCi),
                spread(x.lisSpread),
                x.value === null ? 'none' : fmt(x.value),
                interval(x.valueCi),
                `${int(x.leakPairs)} / ${int(x.histPairs)}`,
              ]),
            ]),
          ]
        : []),
      ...(r.substitution?.length
        ? [
            "Frozen substitution (3c): the ranker with T replaced by T_P (partners' weighted mean in P_leak)",
            table([
              ['input', 'table', 'preference', 'AUC', 'AUC with T_P', 'delta'],
              ...r.substitution.map((x) => [
                x.input,
                x.table,
                x.preference,
                fmt(x.auc),
                fmt(x.aucSubstituted),
                fmt(x.delta),
              ]),
            ]),
          ]
        : []),
      'Diagnosis',
      ...r.diagnosis.map((d) => `  - ${d}`),
      `  ${fmt(r.seconds, 2)} s, provider ${r.executionProvider}`,
    ];
  });
