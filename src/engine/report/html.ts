/** `reclens report`: one self-contained HTML file (inline CSS and SVG, nothing remote) for a run record. */
import type { AblationResult } from '../ablation/ablate';
import type { CeilingResult } from '../ablation/ceiling';
import type { EvalResult } from '../evaluate';
import type { LisResult } from '../lis/lis';
import type { RunRecord } from '../runs/runRecord';
import { barChart, calibrationChart, esc } from './svg';

const f = (x: number | null | undefined, d = 4) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const ci = (c: [number, number] | null | undefined) => (c ? `[${f(c[0])}, ${f(c[1])}]` : '');

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function evalSection(r: EvalResult): string {
  return `<h2>Base metrics</h2>${table(['metric', 'value', '95% interval'], [
    ['rows', r.rows.toLocaleString('en-US'), ''], ['positives', r.positives.toLocaleString('en-US'), ''],
    ['AUC', f(r.auc), ci(r.ci?.auc)], ['GAUC', f(r.gauc), ci(r.ci?.gauc)], ['LogLoss', f(r.logloss), ci(r.ci?.logloss)],
    ['calibration ratio', f(r.calibration.ratio, 3), ''], ['ECE', f(r.calibration.ece), ''],
  ])}<h2>Calibration</h2>${calibrationChart(r.calibration.bins)}`;
}

function ablationSection(r: AblationResult): string {
  return `<h2>Ablation</h2><p>Baseline AUC ${f(r.baseline.auc)}, GAUC ${f(r.baseline.gauc)}, LogLoss ${f(r.baseline.logloss)}. Impact = full minus ablated (LogLoss: ablated minus full): bigger means more useful.</p>
${barChart('AUC impact by slot (95% paired bootstrap intervals)', r.results.map((x) => ({ label: `${x.slot} · ${x.method}`, value: x.deltaAuc, ci: x.ci?.deltaAuc })))}
${table(['slot', 'method', 'AUC', 'ΔAUC', 'ΔAUC 95%', 'ΔGAUC', 'ΔLogLoss'], r.results.map((x) => [x.slot, x.method + (x.repeats ? ` ×${x.repeats}` : ''), f(x.auc), f(x.deltaAuc), ci(x.ci?.deltaAuc), f(x.deltaGauc), f(x.deltaLogloss)]))}`;
}

function ceilingSection(r: CeilingResult): string {
  return `<h2>Slot ceiling</h2><p>Ceiling = AUC(oracle) − AUC(mask), drawn behind the realised impact AUC(full) − AUC(mask); efficiency = realised / ceiling.</p>
${barChart('Realised impact within each slot\'s ceiling', r.results.map((x) => ({ label: x.slot, value: x.realised, behind: x.ceiling })))}
${table(['slot', 'K', 'AUC full', 'AUC mask', 'AUC oracle', 'ceiling', 'realised', 'efficiency'], r.results.map((x) => [x.slot, x.candidates, f(x.aucFull), f(x.aucMask), f(x.aucOracle), f(x.ceiling), f(x.realised), f(x.efficiency, 3)]))}`;
}

function lisSection(r: LisResult): string {
  const prefs = r.preferences;
  const spread = (s: [number, number] | null | undefined) => (s ? `${f(s[0])} to ${f(s[1])}` : '');
  const probe = r.probe ? `probes cross-fitted by user: ${r.probe.folds} folds × ${r.probe.splits} seeded splits (seed ${r.probe.seed}), every row scored out of fold; intervals from ${r.probe.bootstrap} user-bootstrap replicates pooled over the splits` : `probes fitted on ${r.fitRows.toLocaleString('en-US')} rows, scored on ${r.scoreRows.toLocaleString('en-US')}`;
  const eff = (t: LisResult['tables'][number], p: string) => (t.efficiency[p] === null || t.efficiency[p] === undefined ? 'undefined' : `${f(t.efficiency[p], 2)} ${t.efficiencyCi?.[p] ? `[${f(t.efficiencyCi[p]![0], 2)}, ${f(t.efficiencyCi[p]![1], 2)}]` : ''}`);
  return `<h2>Leakage Impact Score</h2><p>Baseline probe AUC ${f(r.baselineProbeAuc)}${r.baselineProbeAucSpread ? ` (${spread(r.baselineProbeAucSpread)} over splits)` : ''}; ${esc(probe)}.</p>
${barChart('LIS (leaked) and honest value (historical) per preference dataset', prefs.flatMap((p) => [{ label: `${p.name} · LIS`, value: p.lis, ci: p.lisCi }, ...(p.value !== null ? [{ label: `${p.name} · value`, value: p.value, ci: p.valueCi }] : [])]))}
${table(['preference data', 'LIS', 'LIS 95%', 'LIS over splits', 'value', 'value 95%', 'own user left out'], prefs.map((p) => [p.name, f(p.lis), ci(p.lisCi), spread(p.lisSpread), p.value === null ? 'none (no historical version)' : f(p.value), ci(p.valueCi), p.selfLeak === 'uncorrectable' ? 'no: cannot be corrected' : 'yes']))}
${r.tables.length ? barChart('AIS per embedding table', r.tables.map((t) => ({ label: t.name, value: t.ais, ci: t.aisCi }))) : ''}
${r.tables.length ? table(['table', 'AIS', 'AIS 95%', 'AIS over splits', ...prefs.map((p) => `efficiency vs ${p.name} [95%]`)], r.tables.map((t) => [t.name, f(t.ais), ci(t.aisCi), spread(t.aisSpread), ...prefs.map((p) => eff(t, p.name))])) : ''}
${r.capacity?.length ? `<h2>Probe capacity</h2><p>The logistic probe against a richer one (pairwise products of the features and the logit) on the same folds.</p><ul>${r.capacity.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : ''}
${r.sweep?.length ? `<h2>Sensitivity: how the preference data is built</h2>${barChart('LIS by window and minimum count', r.sweep.map((x) => ({ label: `${x.preference} · w ${x.window ?? '∞'} · min ${x.minCount}`, value: x.lis, ci: x.lisCi })))}
${table(['preference', 'window', 'min count', 'LIS', 'LIS 95%', 'LIS over splits', 'value', 'value 95%', 'pairs leak / hist'], r.sweep.map((x) => [x.preference, x.window ?? 'none', x.minCount, f(x.lis), ci(x.lisCi), spread(x.lisSpread), f(x.value), ci(x.valueCi), `${x.leakPairs} / ${x.histPairs}`]))}` : ''}
${r.substitution?.length ? `<h2>Frozen substitution</h2>${table(['input', 'table', 'preference', 'AUC', 'AUC with T_P', 'Δ'], r.substitution.map((x) => [x.input, x.table, x.preference, f(x.auc), f(x.aucSubstituted), f(x.delta)]))}` : ''}
<h2>Diagnosis</h2><ul>${r.diagnosis.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`;
}

export function renderReport(record: RunRecord): string {
  const body =
    record.kind === 'eval' ? evalSection(record.results as EvalResult) :
    record.kind === 'ablate' ? ablationSection(record.results as AblationResult) :
    record.kind === 'ceiling' ? ceilingSection(record.results as CeilingResult) :
    record.kind === 'lis' ? lisSection(record.results as LisResult) :
    `<pre>${esc(JSON.stringify(record.results, null, 2))}</pre>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>RecLens ${esc(record.kind)} · ${esc(record.config.name ?? record.config.file)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:900px;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border-bottom:1px solid #d0d7de;padding:.25rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}
.meta{color:#57606a}svg text{font:12px system-ui,sans-serif;fill:currentColor}svg .t{font-weight:600}svg .tick{fill:#57606a}
.bar{fill:#0969da}.behind{fill:#d0d7de}.ci,.axis{stroke:#24292f;stroke-width:1}.cal{fill:none;stroke:#0969da;stroke-width:2}circle{fill:#0969da}
@media (prefers-color-scheme: dark){body{background:#0d1117;color:#e6edf3}.bar,circle{fill:#58a6ff}.behind{fill:#30363d}.ci,.axis{stroke:#c9d1d9}.cal{stroke:#58a6ff}td,th{border-color:#30363d}}
</style></head><body>
<h1>RecLens ${esc(record.kind)}: ${esc(record.config.name ?? record.config.file)}</h1>
<p class="meta">Run ${esc(record.id)} · ${esc(record.createdAt)} · provider ${esc(record.executionProvider)} · seed ${esc(record.seed)} · ${esc(record.data.rows.toLocaleString('en-US'))} rows of ${esc(record.data.file)} · model sha256 ${esc(record.model.sha256.slice(0, 12))} · RecLens ${esc(record.reclens)}</p>
${body}
<p class="meta">Reproduce: <code>reclens ${esc(record.kind)} --config ${esc(record.config.file)} --seed ${esc(record.seed)}</code></p>
</body></html>
`;
}
