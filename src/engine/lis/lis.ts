/**
 * LIS, honest value, AIS and efficiency (metrics.md 3b). Probes are fitted on a seeded half of the users and
 * scored on the other half; intervals come from a paired bootstrap over the scoring users.
 */
import type { RecLensConfig } from '../config/types';
import { loadTable } from '../data/tables';
import { inputError, usageError } from '../errors';
import { buildRunRecord, JobOptions, withJob } from '../job';
import { pairedMetricsOffThread } from '../compute/offThread';
import type { Scoring } from '../metrics/paired';
import { JobControl, report } from '../progress';
import type { RunRecord } from '../runs/runRecord';
import { permutation, seededRandom } from '../util/random';
import { suggestion } from '../util/suggest';
import { readEvalKeys } from './evalKeys';
import { preferenceFeatures, tableFeatures } from './features';
import { interactionsSpec, loadHistories } from './interactions';
import { loadPreference, PreferenceData } from './preferences';
import { fitProbe, probeScores } from './probe';
import { substituteTable } from './substitution';
import { scoreWorkspace } from '../evaluate';
import { auc } from '../metrics/auc';
import type { Workspace } from '../workspace';

export interface LisOptions extends JobOptions {
  preferences?: string[];
  tables?: string[];
  bootstrap?: number;
  /** Also compute the frozen-substitution view (3c) for every table-fed input. */
  substitution?: boolean;
}

export interface LisResult {
  rows: number;
  fitRows: number;
  scoreRows: number;
  evalStart: number;
  baselineProbeAuc: number;
  preferences: { name: string; lis: number; lisCi: [number, number] | null; value: number; valueCi: [number, number] | null; leakPairs: number; histPairs: number; timed: boolean }[];
  tables: { name: string; ais: number; aisCi: [number, number] | null; efficiency: Record<string, number | null> }[];
  diagnosis: string[];
  /** 3c: AUC(M with T_P) - AUC(M with T) for each table-fed input and preference dataset. */
  substitution?: { input: string; table: string; preference: string; auc: number; aucSubstituted: number; delta: number }[];
  executionProvider: string;
  seconds: number;
}

const logit = (p: number) => { const q = Math.min(1 - 1e-7, Math.max(1e-7, p)); return Math.log(q / (1 - q)); };
const flip = (ci: [number, number] | undefined): [number, number] | null => (ci ? [-ci[1], -ci[0]] : null);
const contains0 = (ci: [number, number] | null) => !!ci && ci[0] <= 0 && ci[1] >= 0;

export function diagnose(r: Pick<LisResult, 'preferences' | 'tables'>): string[] {
  const out: string[] = [];
  for (const p of r.preferences) {
    if (contains0(p.lisCi) || p.lis <= 0) out.push(`${p.name}: LIS ${p.lis.toFixed(4)} (interval contains 0): this preference data cannot lift this ranker: change the data before aligning an MLLM to it.`);
    else out.push(`${p.name}: LIS ${p.lis.toFixed(4)} is the most any embedding aligned to this data can add; used honestly (historical pairs) it adds ${p.value.toFixed(4)}.`);
    if (!p.timed) out.push(`${p.name}: its pairs carry no time, so the historical version is the whole file and value equals LIS.`);
  }
  for (const t of r.tables) {
    for (const p of r.preferences) {
      const e = t.efficiency[p.name];
      if (e === null || contains0(p.lisCi) || p.lis <= 0) continue;
      if (e < 0.3) out.push(`${t.name} realises ${(100 * e).toFixed(0)}% of what ${p.name} can give (efficiency ${e.toFixed(2)}): alignment is the bottleneck.`);
      else if (e > 0.7) out.push(`${t.name} realises ${(100 * e).toFixed(0)}% of what ${p.name} can give (efficiency ${e.toFixed(2)}): the embedding realises most of what this data can give.`);
      else out.push(`${t.name} realises ${(100 * e).toFixed(0)}% of what ${p.name} can give (efficiency ${e.toFixed(2)}).`);
    }
  }
  return out;
}

export async function lis(config: RecLensConfig, opts: LisOptions = {}, control?: JobControl): Promise<{ result: LisResult; record: RunRecord<LisResult> }> {
  const prefNames = opts.preferences ?? Object.keys((config.raw.preferences ?? {}) as object);
  const tableNames = opts.tables ?? Object.keys(config.tables);
  if (prefNames.length === 0 && tableNames.length === 0) throw inputError(`Nothing to measure: ${config.file} defines no "preferences" and no "tables". Add a preference dataset (pairs file or interactions) or an embedding table.`, { file: config.file, path: [] });
  for (const t of tableNames) if (!config.tables[t]) throw usageError(`Unknown table "${t}".${suggestion(t, Object.keys(config.tables))}`);
  const bootstrap = opts.bootstrap ?? 200;
  return withJob(config, opts, control, async (ctx) => {
    const { mat, ws } = ctx;
    const n = mat.rows;
    if (!mat.groups) throw inputError('LIS splits probes by user: set data.group in reclens.json.', { file: config.file, path: ['data'] });
    const scores = await ctx.score('baseline');
    const probs = ctx.probs(scores);
    report(control, { phase: 'histories', done: 0, total: 1 });
    const keys = await readEvalKeys(ws.duck, config, n, 'LIS');
    const spec = interactionsSpec(config, config.raw.interactions as Record<string, unknown>, ['interactions']);
    const histories = await loadHistories(ws.duck, spec, config);
    let evalStart = Infinity;
    for (const t of keys.times) if (t < evalStart) evalStart = t;
    const prefs: PreferenceData[] = [];
    for (const name of prefNames) prefs.push(await loadPreference(ws.duck, config, name, evalStart));

    // Seeded split by user: the first half of a permutation of groups fits, the rest scores.
    const perm = permutation(mat.groupCount, seededRandom(ctx.seed ^ 0x5eed));
    const fitGroup = new Uint8Array(mat.groupCount);
    for (let k = 0; k < Math.floor(mat.groupCount / 2); k++) fitGroup[perm[k]] = 1;
    const fit = new Uint8Array(n);
    for (let r = 0; r < n; r++) fit[r] = fitGroup[mat.groups[r]];
    const scoreIdx: number[] = [];
    for (let r = 0; r < n; r++) if (!fit[r]) scoreIdx.push(r);

    const base = Float64Array.from(probs, (p, r) => (config.model.outputKind === 'logit' ? scores[r] : logit(p)));
    const probeOn = (extra?: Float64Array): Scoring => {
      const p = extra ? 3 : 1;
      const X = new Float64Array(n * p);
      for (let r = 0; r < n; r++) { X[r * p] = base[r]; if (extra) { X[r * p + 1] = extra[2 * r]; X[r * p + 2] = extra[2 * r + 1]; } }
      const s = probeScores(fitProbe(X, p, mat.labels, fit), X, p);
      const sub = Float32Array.from(scoreIdx, (r) => s[r]);
      return { scores: sub, probs: Float32Array.from(sub, (x) => 1 / (1 + Math.exp(-x))) };
    };
    report(control, { phase: 'probes', done: 0, total: prefs.length * 2 + tableNames.length + 1 });
    const baseline = probeOn();
    const variants: Scoring[][] = [];
    for (const p of prefs) {
      variants.push([probeOn(preferenceFeatures(keys, histories, p.leak))]);
      variants.push([probeOn(preferenceFeatures(keys, histories, p.hist))]);
    }
    for (const name of tableNames) {
      const table = ws.tables[name] ?? (await loadTable(ws.duck, config.tables[name]));
      variants.push([probeOn(tableFeatures(keys, histories, table))]);
    }
    // Scoring-half groups, renumbered densely so the bootstrap draws only users that have rows.
    const dense = new Map<number, number>();
    const groups = Int32Array.from(scoreIdx, (r) => { const g = mat.groups![r]; let d = dense.get(g); if (d === undefined) { d = dense.size; dense.set(g, d); } return d; });
    const paired = await pairedMetricsOffThread({
      labels: Uint8Array.from(scoreIdx, (r) => mat.labels[r]), groups, groupCount: dense.size, base: baseline, variants, bootstrap, seed: ctx.seed,
    }, control?.signal);
    const gain = (i: number) => ({ v: -paired.variants[i].delta.auc, ci: flip(paired.variants[i].ci?.deltaAuc) });
    const preferences = prefs.map((p, k) => {
      const l = gain(2 * k), h = gain(2 * k + 1);
      return { name: p.name, lis: l.v, lisCi: l.ci, value: h.v, valueCi: h.ci, leakPairs: p.leak.pairs, histPairs: p.hist.pairs, timed: p.timed };
    });
    const tables = tableNames.map((name, k) => {
      const a = gain(2 * prefs.length + k);
      return { name, ais: a.v, aisCi: a.ci, efficiency: Object.fromEntries(preferences.map((p) => [p.name, Math.abs(p.lis) > 1e-12 ? a.v / p.lis : null])) };
    });
    let substitution: LisResult['substitution'];
    if (opts.substitution) {
      substitution = [];
      const fullAuc = auc(mat.labels, scores);
      for (const inp of ws.plan.inputs) {
        if (inp.source.kind !== 'table') continue;
        for (const p of prefs) {
          const swapped = substituteTable(inp.source.table, p.leak);
          const plan = { ...ws.plan, inputs: ws.plan.inputs.map((i) => (i === inp ? { ...i, source: { ...inp.source, table: swapped } } : i)) };
          const s = await scoreWorkspace({ ...ws, plan } as Workspace, ctx.rs, { limit: opts.limit, batchSize: ctx.batchSize }, control);
          const a = auc(s.labels, s.scores);
          substitution.push({ input: inp.name, table: inp.source.table.name, preference: p.name, auc: fullAuc, aucSubstituted: a, delta: a - fullAuc });
        }
      }
    }
    const tEnd = performance.now();
    const result: LisResult = {
      rows: n, fitRows: n - scoreIdx.length, scoreRows: scoreIdx.length, evalStart,
      baselineProbeAuc: paired.base.auc, preferences, tables, diagnosis: diagnose({ preferences, tables }), substitution,
      executionProvider: ctx.rs.provider, seconds: (tEnd - ctx.started) / 1000,
    };
    const record = buildRunRecord('lis', { ...ctx, rows: n }, { preferences: prefNames, tables: tableNames, bootstrap, substitution: !!opts.substitution, limit: opts.limit ?? null }, { totalSeconds: (tEnd - ctx.started) / 1000 }, result);
    return { result, record };
  });
}
