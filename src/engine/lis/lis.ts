/**
 * LIS, honest value, AIS and efficiency (docs/metrics.md 3b): leave-one-user-out preference features, probes
 * cross-fitted by user over F folds and S seeded splits, each number the mean over splits with its min-max spread
 * and a 95% interval from paired user-bootstrap replicates pooled over the splits. A richer probe on the same
 * folds checks the logistic probe's capacity. The verdicts in words never say more than the intervals allow.
 */
import type { RecLensConfig } from '../config/types';
import { loadTable } from '../data/tables';
import { inputError, usageError } from '../errors';
import { buildRunRecord, JobOptions, withJob } from '../job';
import { crossFitPool } from '../compute/offThread';
import { percentileInterval } from '../metrics/bootstrap';
import { JobControl, report } from '../progress';
import type { RunRecord } from '../runs/runRecord';
import { suggestion } from '../util/suggest';
import { readEvalKeys } from './evalKeys';
import { preferenceFeatures, tableFeatures } from './features';
import { interactionsSpec, loadHistories } from './interactions';
import { loadPreference, PreferenceData } from './preferences';
import { PROBE_PENALTY } from './probe';
import type { CrossFitOutput, ProbeFamily } from './crossFit';
import { substituteTable } from './substitution';
import { scoreWorkspace } from '../evaluate';
import { auc } from '../metrics/auc';
import type { Workspace } from '../workspace';

export interface LisSweepSpec {
  /** Co-engagement windows, in the interactions' time units. */
  window?: number[];
  minCount?: number[];
}

export interface LisOptions extends JobOptions {
  preferences?: string[];
  tables?: string[];
  /** Pooled bootstrap replicates (over all splits together). */
  bootstrap?: number;
  /** User folds per split (default 2). */
  folds?: number;
  /** Seeded splits of users into folds (default 5). */
  splits?: number;
  /** Also compute the frozen-substitution view (3c) for every table-fed input. */
  substitution?: boolean;
  /** Sensitivity sweep over how interaction-built preference data is made. */
  sweep?: LisSweepSpec;
}

type Interval = [number, number];

/** The same quantity from the richer probe (pairwise products of the features and the logit). */
export interface RicherGain {
  gain: number;
  ci: Interval | null;
  spread: Interval;
}

export interface LisPreference {
  name: string;
  source: 'pairs' | 'interactions';
  /** Mean over splits of AUC(probe with phi_{P_leak}) - AUC(baseline probe). */
  lis: number;
  lisCi: Interval | null;
  /** Min and max over the splits. */
  lisSpread: Interval;
  /** The same with P_hist; null when the data has no historical version (see histReason). */
  value: number | null;
  valueCi: Interval | null;
  valueSpread: Interval | null;
  leakPairs: number;
  histPairs: number;
  timed: boolean;
  histReason?: string;
  /** Whether the row's own user was taken out of the pair weights (leave-one-user-out). */
  selfLeak: 'corrected' | 'uncorrectable';
  selfLeakReason?: string;
  window: number | null;
  minCount: number;
  richer?: { lis: RicherGain; value: RicherGain | null };
}

export interface LisTable {
  name: string;
  ais: number;
  aisCi: Interval | null;
  aisSpread: Interval;
  /** AIS / LIS per preference dataset; null where LIS's interval contains 0 (efficiencyNote says why). */
  efficiency: Record<string, number | null>;
  efficiencyCi: Record<string, Interval | null>;
  efficiencyNote: Record<string, string>;
  richer?: { ais: RicherGain };
}

export interface LisSweepRow {
  preference: string;
  window: number | null;
  minCount: number;
  lis: number;
  lisCi: Interval | null;
  lisSpread: Interval;
  value: number | null;
  valueCi: Interval | null;
  leakPairs: number;
  histPairs: number;
}

export interface LisResult {
  rows: number;
  /** Rows each probe is fitted on (mean over fits): the other folds' users. */
  fitRows: number;
  /** Rows scored out of fold on each split: all of them. */
  scoreRows: number;
  users: number;
  evalStart: number;
  probe: { folds: number; splits: number; bootstrap: number; penalty: number; seed: number };
  /** Mean over splits of the baseline probe's out-of-fold AUC, and its min-max. */
  baselineProbeAuc: number;
  baselineProbeAucSpread: Interval;
  richerBaselineProbeAuc?: number;
  preferences: LisPreference[];
  tables: LisTable[];
  diagnosis: string[];
  /** Logistic against richer probe, one sentence per dataset or table. */
  capacity: string[];
  sweep?: LisSweepRow[];
  /** 3c: AUC(M with T_P) - AUC(M with T) for each table-fed input and preference dataset. */
  substitution?: {
    input: string;
    table: string;
    preference: string;
    auc: number;
    aucSubstituted: number;
    delta: number;
  }[];
  executionProvider: string;
  seconds: number;
}

const logit = (p: number) => {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
};
const contains0 = (ci: Interval | null) => !ci || (ci[0] <= 0 && ci[1] >= 0);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spreadOf = (xs: number[]): Interval => [Math.min(...xs), Math.max(...xs)];
const f4 = (x: number) => x.toFixed(4);
const ciText = (ci: Interval | null) => (ci ? `95% interval ${f4(ci[0])} to ${f4(ci[1])}` : 'no interval');

/** Users needed for an interval of today's half-width to shrink to |effect| (width ~ 1/sqrt(users)); docs/metrics.md. */
export function usersToResolve(users: number, ci: Interval, effect: number): number {
  const half = (ci[1] - ci[0]) / 2;
  const size = Math.max(Math.abs(effect), 1e-4);
  const m = users * (half / size) ** 2;
  const digits = Math.pow(10, Math.max(0, Math.floor(Math.log10(Math.max(m, 1))) - 1));
  return Math.max(users, Math.ceil(m / digits) * digits);
}

interface Gain {
  mean: number;
  ci: Interval | null;
  spread: Interval;
  replicates: Float64Array;
}

function gainOf(f: ProbeFamily, v: number, bootstrap: number): Gain {
  const perSplit = f.variantAucs[v].map((a, s) => a - f.baselineAucs[s]);
  return {
    mean: mean(perSplit),
    spread: spreadOf(perSplit),
    ci: bootstrap > 0 ? percentileInterval(Array.from(f.replicates[v])) : null,
    replicates: f.replicates[v],
  };
}

/** A preference's LIS (its leak's gain) and value (its historical version's gain, when it has one), as results list them. */
function lisAndValue(leak: Gain, hist: Gain | null) {
  return {
    lis: leak.mean,
    lisCi: leak.ci,
    lisSpread: leak.spread,
    value: hist ? hist.mean : null,
    valueCi: hist ? hist.ci : null,
  };
}

function efficiencyOf(ais: Gain, lis: Gain, lisName: string): { e: number | null; ci: Interval | null; note: string } {
  if (contains0(lis.ci))
    return {
      e: null,
      ci: null,
      note: lis.ci
        ? `undefined: LIS(${lisName})'s interval contains 0, so there is no resolved upper bound to divide by`
        : 'undefined: no bootstrap, so LIS has no interval',
    };
  const e = ais.mean / lis.mean;
  const ratios: number[] = [];
  for (let b = 0; b < ais.replicates.length; b++) ratios.push(ais.replicates[b] / lis.replicates[b]);
  const ci = percentileInterval(ratios);
  let note = '';
  if (e > 1) note = 'above 1: AIS exceeds its supposed upper bound, so the probe or the data is off';
  else if (e < 0) note = "below 0: the embedding lowers the probe's AUC";
  return { e, ci, note };
}

function disagree(a: { mean: number; ci: Interval | null }, b: { mean: number; ci: Interval | null }): boolean {
  if (!a.ci || !b.ci) return false;
  return contains0(a.ci) !== contains0(b.ci) || b.mean < a.ci[0] || b.mean > a.ci[1];
}

export function diagnose(r: Pick<LisResult, 'preferences' | 'tables' | 'users'>): string[] {
  const out: string[] = [];
  for (const p of r.preferences) {
    if (p.lisCi && p.lisCi[0] > 0) {
      out.push(
        `${p.name}: this preference data can add at most about ${f4(p.lis)} AUC here (LIS, ${ciText(p.lisCi)}; ${f4(p.lisSpread[0])} to ${f4(p.lisSpread[1])} over splits).`,
      );
    } else if (p.lisCi && p.lisCi[1] < 0) {
      out.push(
        `${p.name}: LIS ${f4(p.lis)} is below 0 (${ciText(p.lisCi)}): the probe fed the leaked data scores worse than without it, so the probe or the data is off.`,
      );
    } else if (p.lisCi) {
      out.push(
        `${p.name}: no evidence at this sample size that this data can lift the ranker (LIS ${f4(p.lis)}, ${ciText(p.lisCi)}; ${r.users} users; about ${usersToResolve(r.users, p.lisCi, p.lis)} users would resolve a LIS of ${f4(Math.abs(p.lis))}).`,
      );
    } else {
      out.push(`${p.name}: LIS ${f4(p.lis)} without an interval (bootstrap off): not resolved.`);
    }
    if (p.selfLeak === 'uncorrectable')
      out.push(`${p.name}: cannot be corrected for self-leakage: ${p.selfLeakReason ?? 'no per-user breakdown'}.`);
    if (!p.timed)
      out.push(
        `${p.name}: no historical version, so no honest value: ${p.histReason ?? 'the pairs cannot be split in time'}.`,
      );
    else if (p.value !== null && p.valueCi && p.valueCi[0] > 0)
      out.push(
        `${p.name}: used honestly (events before the evaluation) it adds ${f4(p.value)} (${ciText(p.valueCi)}).`,
      );
    else if (p.value !== null && p.valueCi)
      out.push(
        `${p.name}: used honestly (events before the evaluation), no evidence at this sample size that it adds anything (value ${f4(p.value)}, ${ciText(p.valueCi)}).`,
      );
  }
  for (const t of r.tables) {
    if (t.aisCi && contains0(t.aisCi))
      out.push(
        `${t.name}: no evidence at this sample size that this embedding adds to the probe (AIS ${f4(t.ais)}, ${ciText(t.aisCi)}).`,
      );
    for (const p of r.preferences) {
      const e = t.efficiency[p.name];
      const ci = t.efficiencyCi?.[p.name] ?? null;
      if (e === null || e === undefined) continue;
      const head = `${t.name} against ${p.name}: efficiency ${e.toFixed(2)}${ci ? ` (95% interval ${ci[0].toFixed(2)} to ${ci[1].toFixed(2)})` : ''}`;
      if (ci && ci[1] < 0.3) out.push(`${head}: alignment is the bottleneck.`);
      else if (ci && ci[0] > 0.7) out.push(`${head}: the embedding realises most of what this data can give.`);
      else
        out.push(
          `${head}: not resolved; the interval does not settle whether alignment or the data is the bottleneck.`,
        );
      if (e > 1)
        out.push(`${t.name} against ${p.name}: AIS above LIS, the supposed upper bound: the probe or the data is off.`);
      else if (e < 0)
        out.push(
          `${t.name} against ${p.name}: efficiency below 0: the embedding lowers the probe's AUC while the data raises it.`,
        );
    }
  }
  return out;
}

/** Windows like 7d, 12h, 30m, 3600s (seconds) or a plain number (the time column's own units). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d|w)?$/.exec(text.trim());
  if (!m)
    throw usageError(
      `--sweep: "${text}" is not a window: use a number in the time column's units, or 7d, 12h, 30m, 3600s.`,
    );
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as Record<string, number>)[m[2] ?? 's'];
}

/** `--sweep window=7d,30d,90d --sweep minCount=1,2,5` (or both in one quoted value) to a sweep spec. */
export function parseSweep(values: string[]): LisSweepSpec {
  const spec: LisSweepSpec = {};
  for (const part of values.join(' ').split(/\s+/).filter(Boolean)) {
    const m = /^(window|minCount)=(.+)$/.exec(part);
    if (!m)
      throw usageError(
        `--sweep takes window=<list> and/or minCount=<list> (e.g. --sweep window=7d,30d,90d --sweep minCount=1,2,5), not "${part}".`,
      );
    const items = m[2]
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (m[1] === 'window') spec.window = items.map(parseDuration);
    else
      spec.minCount = items.map((x) => {
        const v = Number(x);
        if (!(v >= 0)) throw usageError(`--sweep minCount: "${x}" is not a count >= 0.`);
        return v;
      });
  }
  return spec;
}

export async function lis(
  config: RecLensConfig,
  opts: LisOptions = {},
  control?: JobControl,
): Promise<{ result: LisResult; record: RunRecord<LisResult> }> {
  const prefNames = opts.preferences ?? Object.keys((config.raw.preferences ?? {}) as object);
  const tableNames = opts.tables ?? Object.keys(config.tables);
  if (prefNames.length === 0 && tableNames.length === 0)
    throw inputError(
      `Nothing to measure: ${config.file} defines no "preferences" and no "tables". Add a preference dataset (pairs file or interactions) or an embedding table.`,
      { file: config.file, path: [] },
    );
  for (const t of tableNames)
    if (!config.tables[t]) throw usageError(`Unknown table "${t}".${suggestion(t, Object.keys(config.tables))}`);
  const bootstrap = opts.bootstrap ?? 200;
  const folds = opts.folds ?? 2,
    splits = opts.splits ?? 5;
  if (!(folds >= 2 && folds <= 255)) throw usageError(`--folds takes 2 to 255 folds, not ${folds}.`);
  if (!(splits >= 1)) throw usageError(`--splits takes at least 1 split, not ${splits}.`);
  return withJob(config, opts, control, async (ctx) => {
    const { mat, ws } = ctx;
    const n = mat.rows;
    if (!mat.groups)
      throw inputError('LIS splits probes by user: set data.group in reclens.json.', {
        file: config.file,
        path: ['data'],
      });
    if (mat.groupCount < folds)
      throw inputError(
        `LIS needs at least ${folds} users for ${folds} folds; ${config.data.path} has ${mat.groupCount}.`,
        { file: config.file, path: ['data', 'group'] },
      );
    const scores = await ctx.score('baseline');
    const probs = ctx.probs(scores);
    report(control, { phase: 'histories', done: 0, total: 1 });
    const keys = await readEvalKeys(ws.duck, config, n, 'LIS');
    const spec = interactionsSpec(config, config.raw.interactions as Record<string, unknown>, ['interactions']);
    const histories = await loadHistories(ws.duck, spec, config);
    let evalStart = Infinity;
    for (const t of keys.times) if (t < evalStart) evalStart = t;
    const prefs: PreferenceData[] = [];
    for (const name of prefNames) prefs.push(await loadPreference(ws.duck, config, name, evalStart, { raw: true }));

    const base = Float64Array.from(probs, (p, r) => (config.model.outputKind === 'logit' ? scores[r] : logit(p)));
    // Variants in order: each preference's leaked then (if any) historical features, then each table's.
    report(control, { phase: 'features', done: 0, total: prefs.length + tableNames.length });
    const extras: Float64Array[] = [];
    const slots: { leak: number; hist: number | null }[] = [];
    for (const p of prefs) {
      const f = preferenceFeatures(keys, histories, p);
      slots.push({ leak: extras.push(f.leak) - 1, hist: f.hist ? extras.push(f.hist) - 1 : null });
    }
    const tableSlot: number[] = [];
    for (const name of tableNames) {
      const table = ws.tables[name] ?? (await loadTable(ws.duck, config.tables[name]));
      tableSlot.push(extras.push(tableFeatures(keys, histories, table)) - 1);
    }
    report(control, { phase: 'probes', done: 0, total: 1 });
    const cf: CrossFitOutput = await crossFitPool(
      {
        labels: mat.labels,
        groups: mat.groups,
        groupCount: mat.groupCount,
        base,
        extras,
        folds,
        splits,
        seed: ctx.seed,
        bootstrap,
        richer: true,
      },
      control?.signal,
    );
    const L = cf.logistic,
      R = cf.richer!;
    const richGain = (v: number): RicherGain => {
      const g = gainOf(R, v, bootstrap);
      return { gain: g.mean, ci: g.ci, spread: g.spread };
    };
    const leakGains = slots.map((s) => gainOf(L, s.leak, bootstrap));
    const preferences: LisPreference[] = prefs.map((p, k) => {
      const l = leakGains[k],
        h = slots[k].hist !== null ? gainOf(L, slots[k].hist!, bootstrap) : null;
      return {
        name: p.name,
        source: p.source,
        ...lisAndValue(l, h),
        valueSpread: h ? h.spread : null,
        leakPairs: p.leak.pairs,
        histPairs: p.timed ? p.hist.pairs : 0,
        timed: p.timed,
        histReason: p.histReason,
        selfLeak: p.own ? 'corrected' : 'uncorrectable',
        selfLeakReason: p.selfLeakReason,
        window: Number.isFinite(p.window) ? p.window : null,
        minCount: p.minCount,
        richer: { lis: richGain(slots[k].leak), value: slots[k].hist !== null ? richGain(slots[k].hist!) : null },
      };
    });
    const tables: LisTable[] = tableNames.map((name, k) => {
      const a = gainOf(L, tableSlot[k], bootstrap);
      const eff = prefs.map((p, j) => efficiencyOf(a, leakGains[j], p.name));
      return {
        name,
        ais: a.mean,
        aisCi: a.ci,
        aisSpread: a.spread,
        efficiency: Object.fromEntries(prefs.map((p, j) => [p.name, eff[j].e])),
        efficiencyCi: Object.fromEntries(prefs.map((p, j) => [p.name, eff[j].ci])),
        efficiencyNote: Object.fromEntries(prefs.map((p, j) => [p.name, eff[j].note]).filter(([, note]) => note)),
        richer: { ais: richGain(tableSlot[k]) },
      };
    });
    const capacity: string[] = [];
    const compare = (what: string, l: { mean: number; ci: Interval | null }, r: RicherGain) => {
      const words = `${what}: ${f4(l.mean)} with the logistic probe, ${f4(r.gain)} with the richer probe (pairwise products)`;
      capacity.push(
        disagree(l, { mean: r.gain, ci: r.ci })
          ? `${words}: they disagree, so the logistic probe may understate (or overfit) what this gives; read both.`
          : `${words}: they agree.`,
      );
    };
    preferences.forEach((p, k) => compare(`LIS(${p.name})`, leakGains[k], p.richer!.lis));
    tables.forEach((t, k) => compare(`AIS(${t.name})`, gainOf(L, tableSlot[k], bootstrap), t.richer!.ais));

    const sweep =
      opts.sweep && (opts.sweep.window?.length || opts.sweep.minCount?.length) ? await runSweep() : undefined;
    async function runSweep(): Promise<LisSweepRow[]> {
      const rows: LisSweepRow[] = [];
      const targets = prefs.filter((p) => p.source === 'interactions');
      if (!targets.length)
        throw inputError(
          '--sweep changes how preference data is built from interactions, but none of the chosen preference datasets is built from interactions (add one with "window" and "minCount").',
          { file: config.file, path: ['preferences'] },
        );
      const windows = opts.sweep!.window?.length ? opts.sweep!.window : undefined;
      // Every setting's features first, then one cross-fit for all of them: the folds, the baseline probe and the
      // bootstrap draws are shared (each variant's numbers are the same as from a cross-fit of its own).
      const settings: {
        p: PreferenceData;
        w: number;
        m: number;
        leak: number;
        hist: number | null;
        leakPairs: number;
        histPairs: number;
      }[] = [];
      const sweepExtras: Float64Array[] = [];
      const total = targets.reduce(
        (a, p) => a + (windows ?? [p.window]).length * (opts.sweep!.minCount?.length ? opts.sweep!.minCount.length : 1),
        0,
      );
      let done = 0;
      for (const p of targets) {
        const ws2 = windows ?? [p.window];
        const mins = opts.sweep!.minCount?.length ? opts.sweep!.minCount : [p.minCount];
        for (const w of ws2) {
          // Loaded once per window at the smallest count; each count is applied (without the row's user) per row.
          const data = await loadPreference(ws.duck, config, p.name, evalStart, {
            raw: true,
            window: w,
            minCount: Math.min(...mins),
          });
          for (const m of mins) {
            report(control, { phase: 'sweep', done: done++, total });
            const f = preferenceFeatures(keys, histories, data, m);
            settings.push({
              p,
              w,
              m,
              leak: sweepExtras.push(f.leak) - 1,
              hist: f.hist ? sweepExtras.push(f.hist) - 1 : null,
              leakPairs: countPairs(data.leakWeights, m),
              histPairs: countPairs(data.histWeights, m),
            });
          }
        }
      }
      report(control, { phase: 'sweep probes', done: 0, total: 1 });
      const out = await crossFitPool(
        {
          labels: mat.labels,
          groups: mat.groups!,
          groupCount: mat.groupCount,
          base,
          extras: sweepExtras,
          folds,
          splits,
          seed: ctx.seed,
          bootstrap,
          richer: false,
        },
        control?.signal,
      );
      for (const s of settings) {
        const l = gainOf(out.logistic, s.leak, bootstrap),
          h = s.hist !== null ? gainOf(out.logistic, s.hist, bootstrap) : null;
        rows.push({
          preference: s.p.name,
          window: Number.isFinite(s.w) ? s.w : null,
          minCount: s.m,
          ...lisAndValue(l, h),
          leakPairs: s.leakPairs,
          histPairs: s.histPairs,
        });
      }
      return rows;
    }

    let substitution: LisResult['substitution'];
    if (opts.substitution) {
      substitution = [];
      const fullAuc = auc(mat.labels, scores);
      for (const inp of ws.plan.inputs) {
        if (inp.source.kind !== 'table') continue;
        for (const p of prefs) {
          const swapped = substituteTable(inp.source.table, p.leak);
          const plan = {
            ...ws.plan,
            inputs: ws.plan.inputs.map((i) => (i === inp ? { ...i, source: { ...inp.source, table: swapped } } : i)),
          };
          const s = await scoreWorkspace(
            { ...ws, plan } as Workspace,
            ctx.rs,
            { limit: opts.limit, batchSize: ctx.batchSize },
            control,
          );
          const a = auc(s.labels, s.scores);
          substitution.push({
            input: inp.name,
            table: inp.source.table.name,
            preference: p.name,
            auc: fullAuc,
            aucSubstituted: a,
            delta: a - fullAuc,
          });
        }
      }
    }
    const tEnd = performance.now();
    const users = mat.groupCount;
    const result: LisResult = {
      rows: n,
      fitRows: Math.round((n * (folds - 1)) / folds),
      scoreRows: n,
      users,
      evalStart,
      probe: { folds, splits, bootstrap, penalty: PROBE_PENALTY, seed: ctx.seed },
      baselineProbeAuc: mean(L.baselineAucs),
      baselineProbeAucSpread: spreadOf(L.baselineAucs),
      richerBaselineProbeAuc: mean(R.baselineAucs),
      preferences,
      tables,
      diagnosis: [
        ...diagnose({ preferences, tables, users }),
        ...capacity.filter((c) => /disagree/.test(c)),
        ...prefs.flatMap((p) => p.notes),
      ],
      capacity,
      sweep,
      substitution,
      executionProvider: ctx.rs.provider,
      seconds: (tEnd - ctx.started) / 1000,
    };
    const record = buildRunRecord(
      'lis',
      { ...ctx, rows: n },
      {
        preferences: prefNames,
        tables: tableNames,
        bootstrap,
        folds,
        splits,
        sweep: opts.sweep ?? null,
        substitution: !!opts.substitution,
        limit: opts.limit ?? null,
      },
      { totalSeconds: (tEnd - ctx.started) / 1000 },
      result,
    );
    return { result, record };
  });
}

function countPairs(weights: Float64Array, minCount: number): number {
  let c = 0;
  const floor = Math.max(minCount, 1e-12);
  for (let k = 0; k < weights.length; k++) if (weights[k] >= floor) c++;
  return c;
}
