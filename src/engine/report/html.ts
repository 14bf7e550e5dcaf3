/** `reclens report`: one self-contained HTML file (inline CSS and SVG, nothing remote) for a run record. */
import type { AblationResult } from '../ablation/ablate';
import type { CeilingResult } from '../ablation/ceiling';
import type { EvalResult } from '../evaluate';
import type { LisResult } from '../lis/lis';
import type { AlignResult, EmbedResult } from '../embedding/jobs';
import type { BucketSplit } from '../embedding/alignment';
import { reproduceLine } from '../runs/reproduce';
import type { RunRecord } from '../runs/runRecord';
import { barChart, calibrationChart, esc, histogramChart, prChart, rocChart, scatterChart } from './svg';

const f = (x: number | null | undefined, d = 4) =>
  x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d);
const ci = (c: [number, number] | null | undefined) => (c ? `[${f(c[0])}, ${f(c[1])}]` : '');

function table(head: string[], rows: (string | number)[][]): string {
  return `<div class="table-wrap"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

function evalSection(r: EvalResult): string {
  return `<h2>Base metrics</h2>${table(
    ['metric', 'value', '95% interval'],
    [
      ['rows', r.rows.toLocaleString('en-US'), ''],
      ['positives', r.positives.toLocaleString('en-US'), ''],
      ['AUC', f(r.auc), ci(r.ci?.auc)],
      ['GAUC', f(r.gauc), ci(r.ci?.gauc)],
      ['LogLoss', f(r.logloss), ci(r.ci?.logloss)],
      ['calibration ratio', f(r.calibration.ratio, 3), ''],
      ['ECE', f(r.calibration.ece), ''],
      ...(r.curves ? [['average precision', f(r.curves.pr.averagePrecision), '']] : []),
    ],
  )}${
    r.curves
      ? `<h2>Ranking curves</h2><div class="row">${rocChart(r.curves.roc, r.auc)}${prChart(r.curves.pr, r.positives / r.rows)}</div>
<h2>Scores by label</h2>${histogramChart(r.curves.histogram)}`
      : ''
  }<h2>Calibration</h2>${calibrationChart(r.calibration.bins)}`;
}

function embedSection(r: EmbedResult): string {
  const p = r.projection;
  const axes: [string, string] =
    r.method === 'pca'
      ? [
          `PC 1${r.explainedVariance ? ` (${(100 * r.explainedVariance[0]).toFixed(1)}% of variance)` : ''}`,
          `PC 2${r.explainedVariance ? ` (${(100 * r.explainedVariance[1]).toFixed(1)}% of variance)` : ''}`,
        ]
      : ['UMAP 1', 'UMAP 2'];
  return `<h2>Projection</h2><p>${esc(r.method.toUpperCase())} of table <code>${esc(r.table)}</code>: ${r.rows.toLocaleString('en-US')} rows${r.sampleSize < r.rows ? `, seeded sample of ${r.sampleSize.toLocaleString('en-US')}` : ''}; neighbours on ${esc(r.knnProvider)}.${p && p.x.length < p.points ? ` The chart draws a seeded sample of ${p.x.length.toLocaleString('en-US')} of the ${p.points.toLocaleString('en-US')} points; the legend counts all of them.` : ''}</p>
${p ? scatterChart(`Coloured by ${p.colourBy ?? 'nothing (no categorical metadata)'}`, p, p.legend, axes) : '<p>This record has no projection sample (made by an older RecLens); run the Reproduce line below for the chart.</p>'}
${table(['measure', 'value'], [['method', r.method], ['rows in the table', r.rows.toLocaleString('en-US')], ['points projected', r.sampleSize.toLocaleString('en-US')], ...(r.explainedVariance ? [['explained variance (PC 1, PC 2)', r.explainedVariance.map((v) => `${(100 * v).toFixed(1)}%`).join(', ')]] : []), ['coordinates file', r.out ?? 'not saved (--out)']])}`;
}

const BUCKET_COLS: (keyof BucketSplit)[] = ['overall', 'cold', 'warm', 'hot'];

function alignSection(r: AlignResult): string {
  const measures: [string, BucketSplit | null, string][] = [
    [`recall@${r.k} of ${r.preferences ?? ''} pairs`, r.recallAtK, r.table],
    [`recall@${r.k} of ${r.preferences ?? ''} pairs`, r.recallAtKAgainst, r.against ?? ''],
    [`Jaccard@${r.k} vs ${r.against ?? ''}`, r.jaccardAtK, r.table],
    ['alignment (lower = closer pairs)', r.alignment, r.table],
  ];
  const present = measures.filter((m): m is [string, BucketSplit, string] => m[1] !== null);
  const rows = present.map(([name, s, t]) => [
    `${name} (${t})`,
    ...BUCKET_COLS.map((b) => f(s[b] as number | null)),
    s.count.toLocaleString('en-US'),
  ]);
  const bars = (name: string, s: BucketSplit | null, t: string) =>
    s ? BUCKET_COLS.filter((b) => s[b] !== null).map((b) => ({ label: `${t} · ${b}`, value: s[b] as number })) : [];
  const recallBars = [...bars('recall', r.recallAtK, r.table), ...bars('recall', r.recallAtKAgainst, r.against ?? '')];
  const jaccardBars = bars('jaccard', r.jaccardAtK, r.table);
  return `<h2>Alignment by popularity bucket</h2><p>Table <code>${esc(r.table)}</code> (${r.rows.toLocaleString('en-US')} rows; cold ${r.buckets.cold.toLocaleString('en-US')}, warm ${r.buckets.warm.toLocaleString('en-US')}, hot ${r.buckets.hot.toLocaleString('en-US')} items)${r.against ? ` against <code>${esc(r.against)}</code>${r.sharedIds !== null ? ` (${r.sharedIds.toLocaleString('en-US')} shared ids)` : ''}` : ''}; K = ${r.k}; neighbours on ${esc(r.knnProvider)}.</p>
${table(['measure', ...BUCKET_COLS, 'n'], rows)}
${recallBars.length ? barChart(`Recall@${r.k} of ${r.preferences} pairs by bucket`, recallBars, `recall@${r.k} (share of preference partners among the K nearest neighbours)`) : ''}
${jaccardBars.length ? barChart(`Jaccard@${r.k} between ${r.table} and ${r.against} by bucket`, jaccardBars, `Jaccard@${r.k} (overlap of the two tables' neighbour lists)`) : ''}
<p>Uniformity ${f(r.uniformity)} (lower = more uniform).</p>
${r.semanticIds ? `<h2>Semantic ids</h2>${table(['levels', 'utilisation per level', 'collision rate', 'pairs with equal codes', 'pairs with equal first level'], [[r.semanticIds.levels, r.semanticIds.utilisation.map((u) => f(u, 3)).join(' / '), f(r.semanticIds.collisionRate, 3), f(r.semanticIds.pairsSameCode, 3), f(r.semanticIds.pairsSameFirstLevel, 3)]])}` : ''}`;
}

function ablationSection(r: AblationResult): string {
  return `<h2>Ablation</h2><p>Baseline AUC ${f(r.baseline.auc)}, GAUC ${f(r.baseline.gauc)}, LogLoss ${f(r.baseline.logloss)}. Impact = full minus ablated (LogLoss: ablated minus full): bigger means more useful.</p>
${barChart(
  'AUC impact by slot (95% paired bootstrap intervals)',
  r.results.map((x) => ({ label: `${x.slot} · ${x.method}`, value: x.deltaAuc, ci: x.ci?.deltaAuc })),
  'ΔAUC (full minus ablated; AUC points)',
)}
${table(
  ['slot', 'method', 'AUC', 'ΔAUC', 'ΔAUC 95%', 'ΔGAUC', 'ΔLogLoss'],
  r.results.map((x) => [
    x.slot,
    x.method + (x.repeats ? ` ×${x.repeats}` : ''),
    f(x.auc),
    f(x.deltaAuc),
    ci(x.ci?.deltaAuc),
    f(x.deltaGauc),
    f(x.deltaLogloss),
  ]),
)}`;
}

function ceilingSection(r: CeilingResult): string {
  return `<h2>Slot ceiling</h2><p>Ceiling = AUC(oracle) − AUC(mask), drawn behind the realised impact AUC(full) − AUC(mask); efficiency = realised / ceiling.</p>
${barChart(
  "Realised impact within each slot's ceiling",
  r.results.map((x) => ({ label: x.slot, value: x.realised, behind: x.ceiling })),
  'AUC difference from the masked slot (AUC points)',
)}
${table(
  ['slot', 'K', 'AUC full', 'AUC mask', 'AUC oracle', 'ceiling', 'realised', 'efficiency'],
  r.results.map((x) => [
    x.slot,
    x.candidates,
    f(x.aucFull),
    f(x.aucMask),
    f(x.aucOracle),
    f(x.ceiling),
    f(x.realised),
    f(x.efficiency, 3),
  ]),
)}`;
}

function lisSection(r: LisResult): string {
  const prefs = r.preferences;
  const spread = (s: [number, number] | null | undefined) => (s ? `${f(s[0])} to ${f(s[1])}` : '');
  const probe = r.probe
    ? `probes cross-fitted by user: ${r.probe.folds} folds × ${r.probe.splits} seeded splits (seed ${r.probe.seed}), every row scored out of fold; intervals from ${r.probe.bootstrap} user-bootstrap replicates pooled over the splits`
    : `probes fitted on ${r.fitRows.toLocaleString('en-US')} rows, scored on ${r.scoreRows.toLocaleString('en-US')}`;
  const eff = (t: LisResult['tables'][number], p: string) =>
    t.efficiency[p] === null || t.efficiency[p] === undefined
      ? 'undefined'
      : `${f(t.efficiency[p], 2)} ${t.efficiencyCi?.[p] ? `[${f(t.efficiencyCi[p]![0], 2)}, ${f(t.efficiencyCi[p]![1], 2)}]` : ''}`;
  return `<h2>Leakage Impact Score</h2><p>Baseline probe AUC ${f(r.baselineProbeAuc)}${r.baselineProbeAucSpread ? ` (${spread(r.baselineProbeAucSpread)} over splits)` : ''}; ${esc(probe)}.</p>
${barChart(
  'LIS (leaked) and honest value (historical) per preference dataset',
  prefs.flatMap((p) => [
    { label: `${p.name} · LIS`, value: p.lis, ci: p.lisCi },
    ...(p.value !== null ? [{ label: `${p.name} · value`, value: p.value, ci: p.valueCi }] : []),
  ]),
  'probe AUC gain (AUC points)',
)}
${table(
  ['preference data', 'LIS', 'LIS 95%', 'LIS over splits', 'value', 'value 95%', 'own user left out'],
  prefs.map((p) => [
    p.name,
    f(p.lis),
    ci(p.lisCi),
    spread(p.lisSpread),
    p.value === null ? 'none (no historical version)' : f(p.value),
    ci(p.valueCi),
    p.selfLeak === 'uncorrectable' ? 'no: cannot be corrected' : 'yes',
  ]),
)}
${
  r.tables.length
    ? barChart(
        'AIS per embedding table',
        r.tables.map((t) => ({ label: t.name, value: t.ais, ci: t.aisCi })),
        'AIS: probe AUC gain (AUC points)',
      )
    : ''
}
${
  r.tables.length
    ? table(
        ['table', 'AIS', 'AIS 95%', 'AIS over splits', ...prefs.map((p) => `efficiency vs ${p.name} [95%]`)],
        r.tables.map((t) => [t.name, f(t.ais), ci(t.aisCi), spread(t.aisSpread), ...prefs.map((p) => eff(t, p.name))]),
      )
    : ''
}
${r.capacity?.length ? `<h2>Probe capacity</h2><p>The logistic probe against a richer one (pairwise products of the features and the logit) on the same folds.</p><ul>${r.capacity.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : ''}
${
  r.sweep?.length
    ? `<h2>Sensitivity: how the preference data is built</h2>${barChart(
        'LIS by window and minimum count',
        r.sweep.map((x) => ({
          label: `${x.preference} · w ${x.window ?? '∞'} · min ${x.minCount}`,
          value: x.lis,
          ci: x.lisCi,
        })),
        'LIS: probe AUC gain (AUC points)',
      )}
${table(
  ['preference', 'window', 'min count', 'LIS', 'LIS 95%', 'LIS over splits', 'value', 'value 95%', 'pairs leak / hist'],
  r.sweep.map((x) => [
    x.preference,
    x.window ?? 'none',
    x.minCount,
    f(x.lis),
    ci(x.lisCi),
    spread(x.lisSpread),
    f(x.value),
    ci(x.valueCi),
    `${x.leakPairs} / ${x.histPairs}`,
  ]),
)}`
    : ''
}
${
  r.substitution?.length
    ? `<h2>Frozen substitution</h2>${table(
        ['input', 'table', 'preference', 'AUC', 'AUC with T_P', 'Δ'],
        r.substitution.map((x) => [x.input, x.table, x.preference, f(x.auc), f(x.aucSubstituted), f(x.delta)]),
      )}`
    : ''
}
<h2>Diagnosis</h2><ul>${r.diagnosis.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`;
}

/** What the run measured: rows of the evaluation data, or the embedding table for embed / align runs. */
function subject(record: RunRecord): string {
  if (record.kind === 'embed' || record.kind === 'align') {
    const r = record.results as { table: string; rows: number };
    return `table ${r.table}, ${r.rows.toLocaleString('en-US')} rows`;
  }
  return `${record.data.rows.toLocaleString('en-US')} rows of ${record.data.file}`;
}

export function renderReport(record: RunRecord): string {
  const body =
    record.kind === 'eval'
      ? evalSection(record.results as EvalResult)
      : record.kind === 'ablate'
        ? ablationSection(record.results as AblationResult)
        : record.kind === 'ceiling'
          ? ceilingSection(record.results as CeilingResult)
          : record.kind === 'lis'
            ? lisSection(record.results as LisResult)
            : record.kind === 'embed'
              ? embedSection(record.results as EmbedResult)
              : record.kind === 'align'
                ? alignSection(record.results as AlignResult)
                : `<pre>${esc(JSON.stringify(record.results, null, 2))}</pre>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>RecLens ${esc(record.kind)} · ${esc(record.config.name ?? record.config.file)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:900px;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border-bottom:1px solid #d0d7de;padding:.25rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}
.meta{color:#57606a}svg text{font:12px system-ui,sans-serif;fill:currentColor}svg .t{font-weight:600}svg .tick{fill:#57606a}svg .axis-title{fill:#57606a;font-style:italic}
.bar{fill:#0969da}.behind{fill:#d0d7de}.ci,.axis{stroke:#24292f;stroke-width:1}.grid{stroke:#d0d7de;stroke-width:.5}.diag{stroke:#8c959f;stroke-dasharray:4 3}.cal{fill:none;stroke:#0969da;stroke-width:2}circle{fill:#0969da}
.pos{fill:#0969da;fill-opacity:.25;stroke:#0969da;stroke-width:1.5}.neg{fill:#cf222e;fill-opacity:.15;stroke:#cf222e;stroke-width:1.5}.pos-key{fill:#0969da}.neg-key{fill:#cf222e}
.row{display:flex;flex-wrap:wrap;gap:1.5rem}.scatter{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.legend{list-style:none;padding:0;margin:1.5rem 0 0}.legend li{margin:.15rem 0}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:2px}
.table-wrap{overflow-x:auto}code{overflow-wrap:anywhere}
@media (prefers-color-scheme: dark){body{background:#0d1117;color:#e6edf3}.bar,circle{fill:#58a6ff}.behind{fill:#30363d}.ci,.axis{stroke:#c9d1d9}.grid{stroke:#30363d}.cal{stroke:#58a6ff}td,th{border-color:#30363d}.meta,svg .tick,svg .axis-title{color:#8b949e;fill:#8b949e}.pos{fill:#58a6ff;stroke:#58a6ff}.pos-key{fill:#58a6ff}.neg{fill:#ff7b72;stroke:#ff7b72}.neg-key{fill:#ff7b72}}
</style></head><body>
<h1>RecLens ${esc(record.kind)}: ${esc(record.config.name ?? record.config.file)}</h1>
<p class="meta">Run ${esc(record.id)} · ${esc(record.createdAt)} · provider ${esc(record.executionProvider)} · seed ${esc(record.seed)} · ${esc(subject(record))} · model sha256 ${esc(record.model.sha256.slice(0, 12))} · RecLens ${esc(record.reclens)}</p>
${body}
<p class="meta">Reproduce: <code class="reproduce">${esc(reproduceLine(record))}</code></p>
</body></html>
`;
}
