/**
 * The LIS view (docs/metrics.md 3b, 3c): preference datasets with LIS and honest value, embedding tables with AIS,
 * all with intervals and spreads over splits on one AUC-gain axis; the efficiency matrix as a heat map with its
 * table; the engine's diagnosis in words beside the numbers; the probe-capacity check; the sensitivity sweep
 * (table and chart); the frozen-substitution table when the run has it. Used by the LIS panel and,
 * read-only, by the Run panel for LIS runs.
 */
import type { LisPanelData, LisResult } from '../../src/protocol/results';
import { element, note } from '../shared/dom';
import { createButton } from '../ui/toolkit';
import { intervalColumn, numberColumn } from './columns';
import { renderBarChart, type BarGroup } from './barChart';
import { DataTable, type Column } from './dataTable';
import { renderEfficiencyHeatMap } from './efficiencyHeatMap';
import { createFigure } from './figure';
import { formatCount, formatDelta, formatInterval, formatMetric, formatRatio, formatSeconds, slug } from './format';
import { runMetaLine } from './runMeta';
import { tableSort, type ViewContext } from './viewContext';

type Preference = LisResult['preferences'][number];
type EmbeddingTable = LisResult['tables'][number];
type Substitution = NonNullable<LisResult['substitution']>[number];
type SweepRow = NonNullable<LisResult['sweep']>[number];

export function renderLisView(
  container: HTMLElement,
  data: LisPanelData,
  context: ViewContext,
  options: { interactive: boolean },
): void {
  const lis = data.lis;
  if (!lis) {
    container.append(emptyLisState(data, context, options.interactive));
    return;
  }
  const name = slug(data.title);
  container.append(
    runMetaLine(lis, [
      lis.probe
        ? `${formatCount(lis.rows)} rows, ${formatCount(lis.users)} users (probes cross-fitted by user: ${lis.probe.folds} folds × ${lis.probe.splits} seeded splits, every row scored out of fold)`
        : `${formatCount(lis.rows)} rows (probes fitted on ${formatCount(lis.fitRows)}, scored on ${formatCount(lis.scoreRows)}, split by user)`,
      `baseline probe AUC ${formatMetric(lis.baselineProbeAuc)}${lis.baselineProbeAucSpread ? ` (${formatMetric(lis.baselineProbeAucSpread[0])} to ${formatMetric(lis.baselineProbeAucSpread[1])} over splits)` : ''}`,
      formatSeconds(lis.seconds),
    ]),
  );
  if (options.interactive) {
    const toolbar = element('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', 'LIS controls');
    toolbar.append(createButton({ label: 'Run LIS again', onClick: () => context.host.post({ type: 'runLis' }) }));
    container.append(toolbar);
  }

  // Gains and the diagnosis side by side: the sentences explain the bars next to them.
  const overview = element('div', 'with-aside');
  let gains: SVGSVGElement | null = null;
  const prefsTable = new DataTable<Preference>({
    caption: 'Preference datasets: LIS (leaked pairs) and value (historical pairs), AUC gain over the baseline probe',
    columns: preferenceColumns(),
    rowKey: (p) => p.name,
    ...tableSort(context, 'lis-preferences'),
  });
  prefsTable.setRows(lis.preferences);
  const gainsFigure = createFigure(
    {
      title: 'AUC gain over the baseline probe',
      exportName: `${name}-gains`,
      caption:
        "LIS: the most any embedding aligned to the preference data can add (the row's own user left out of the pairs where the data allows it). Value: what the data adds used honestly (events before the evaluation period). AIS: what an embedding table adds. Each bar is the mean over seeded splits; 95% intervals from user-bootstrap replicates pooled over the splits.",
      chart: () => gains,
      csv: () => prefsTable.toCsv(),
    },
    context.exporter,
  );
  gains = lis.preferences.length || lis.tables.length ? renderGains(lis) : null;
  gainsFigure.body.append(...(gains ? [gains] : []));
  const diagnosis = element('aside', 'diagnosis');
  diagnosis.setAttribute('aria-labelledby', 'diagnosis-title');
  const heading = element('h2', 'figure-title', 'Diagnosis');
  heading.id = 'diagnosis-title';
  const sentences = element('ul', 'diagnosis-list');
  for (const sentence of lis.diagnosis) sentences.append(element('li', undefined, sentence));
  diagnosis.append(heading, lis.diagnosis.length ? sentences : note('No diagnosis for this run.'));
  overview.append(gainsFigure.element, diagnosis);
  // The table goes under both, across the whole panel: beside the diagnosis its ten columns did not fit and the last
  // ones ("Historical pairs") hid behind a sideways scroll.
  const prefsBody = element('div', 'figure-body wide-table');
  prefsBody.append(prefsTable.element);
  container.append(overview, prefsBody);

  if (lis.tables.length) {
    let heatMap: SVGSVGElement | null = null;
    const tablesTable = new DataTable<EmbeddingTable>({
      caption: 'Embedding tables: AIS and efficiency AIS / LIS against each preference dataset',
      columns: tableColumns(lis.preferences.map((p) => p.name)),
      rowKey: (t) => t.name,
      className: 'efficiency-table',
      ...tableSort(context, 'lis-tables'),
    });
    tablesTable.setRows(lis.tables);
    const figure = createFigure(
      {
        title: 'Efficiency (AIS / LIS)',
        exportName: `${name}-efficiency`,
        caption:
          'How much of what each preference dataset can give an embedding table realises. Below 0.3: alignment is the bottleneck; above 0.7: the embedding realises most of it.',
        chart: () => heatMap,
        csv: () => tablesTable.toCsv(),
      },
      context.exporter,
    );
    heatMap = lis.preferences.length ? renderEfficiencyHeatMap(lis, context.theme) : null;
    figure.body.append(...(heatMap ? [heatMap] : []), tablesTable.element);
    container.append(figure.element);
  }

  if (lis.capacity?.length) {
    const figure = createFigure(
      {
        title: 'Probe capacity',
        exportName: `${name}-capacity`,
        caption:
          'The logistic probe against a richer one (pairwise products of the features and the logit), fitted on the same folds. Where they disagree, read both.',
      },
      context.exporter,
    );
    const list = element('ul', 'capacity-list');
    for (const sentence of lis.capacity)
      list.append(element('li', /disagree/.test(sentence) ? 'disagree' : undefined, sentence));
    figure.body.append(list);
    container.append(figure.element);
  }

  if (lis.sweep?.length) {
    let sweepChart: SVGSVGElement | null = null;
    const sweepTable = new DataTable<SweepRow>({
      caption: 'LIS and value by how the preference data is built (window, minimum count)',
      columns: sweepColumns(),
      rowKey: sweepKey,
      className: 'sweep-table',
      ...tableSort(context, 'lis-sweep'),
    });
    sweepTable.setRows(lis.sweep);
    const figure = createFigure(
      {
        title: 'Sensitivity: window and minimum count',
        exportName: `${name}-sweep`,
        caption:
          'How LIS moves with how the preference data is built from interactions: the co-engagement window and the minimum number of co-engagements a pair needs. Same folds, splits and seed as above.',
        chart: () => sweepChart,
        csv: () => sweepTable.toCsv(),
      },
      context.exporter,
    );
    sweepChart = renderSweep(lis.sweep);
    figure.body.append(sweepChart, sweepTable.element);
    container.append(figure.element);
  }

  if (lis.substitution?.length) {
    const substitution = new DataTable<Substitution>({
      caption: "Frozen substitution: AUC of the ranker with T replaced by T_P (partners' mean), against the original",
      columns: substitutionColumns(),
      rowKey: (s) => `${s.input}|${s.preference}`,
      ...tableSort(context, 'lis-substitution'),
    });
    substitution.setRows(lis.substitution);
    const figure = createFigure(
      {
        title: 'Frozen substitution',
        exportName: `${name}-substitution`,
        caption:
          'Whether the frozen ranker could use a perfectly aligned embedding without retraining (docs/metrics.md 3c).',
        csv: () => substitution.toCsv(),
      },
      context.exporter,
    );
    figure.body.append(substitution.element);
    container.append(figure.element);
  }
}

function emptyLisState(data: LisPanelData, context: ViewContext, interactive: boolean): HTMLElement {
  const section = element('section', 'empty-state');
  section.append(
    element('h2', undefined, 'No LIS run yet'),
    note(
      `LIS leaks each preference dataset of ${data.configFile} into a light probe on top of the ranker: the AUC gain is the most an embedding aligned to that data could add. Embedding tables get their AIS and their efficiency against each dataset.`,
    ),
  );
  if (interactive)
    section.append(
      createButton({ label: 'Run LIS', appearance: 'primary', onClick: () => context.host.post({ type: 'runLis' }) }),
    );
  return section;
}

function renderGains(lis: LisResult): SVGSVGElement {
  const groups: BarGroup[] = [
    ...lis.preferences.map((p) => ({
      key: `preference:${p.name}`,
      label: p.name,
      bars: [
        {
          series: 0,
          value: p.lis,
          interval: p.lisCi,
          tooltip: `${p.name}: LIS ${formatDelta(p.lis)} ${formatInterval(p.lisCi)}`,
        },
        {
          series: 1,
          value: p.value,
          interval: p.valueCi,
          tooltip:
            p.value === null
              ? `${p.name}: no historical version`
              : `${p.name}: value ${formatDelta(p.value)} ${formatInterval(p.valueCi)}`,
        },
      ],
    })),
    ...lis.tables.map((t) => ({
      key: `table:${t.name}`,
      label: t.name,
      bars: [
        {
          series: 2,
          value: t.ais,
          interval: t.aisCi,
          tooltip: `${t.name}: AIS ${formatDelta(t.ais)} ${formatInterval(t.aisCi)}`,
        },
      ],
    })),
  ];
  const words = [
    ...lis.preferences.map(
      (p) => `${p.name} LIS ${formatDelta(p.lis)}, value ${p.value === null ? 'none' : formatDelta(p.value)}`,
    ),
    ...lis.tables.map((t) => `${t.name} AIS ${formatDelta(t.ais)}`),
  ];
  return renderBarChart(groups, {
    ariaLabel: `AUC gain over the baseline probe: ${words.join('; ')}. The tables list the intervals.`,
    axisTitle: 'AUC gain over the baseline probe',
    series: ['LIS (leaked pairs)', 'Value (historical pairs)', 'AIS (embedding table)'],
  });
}

function preferenceColumns(): Column<Preference>[] {
  return [
    {
      id: 'name',
      header: 'Preference data',
      sortValue: (p) => p.name,
      cell: (p) => p.name,
      csv: { headers: ['preference'], values: (p) => [p.name] },
    },
    numberColumn('lis', 'LIS', (p) => p.lis, formatDelta, 'lis'),
    intervalColumn('lis-ci', 'LIS 95% interval', (p) => p.lisCi, ['lis_low', 'lis_high']),
    {
      id: 'lis-spread',
      header: 'LIS over splits',
      numeric: true,
      cell: (p) => (p.lisSpread ? `${formatDelta(p.lisSpread[0])} to ${formatDelta(p.lisSpread[1])}` : 'n/a'),
      csv: { headers: ['lis_split_min', 'lis_split_max'], values: (p) => [...(p.lisSpread ?? [null, null])] },
    },
    numberColumn('value', 'Value', (p) => p.value, formatDelta, 'value'),
    intervalColumn('value-ci', 'Value 95% interval', (p) => p.valueCi, ['value_low', 'value_high']),
    numberColumn('leak-pairs', 'Leaked pairs', (p) => p.leakPairs, formatCount, 'leak_pairs'),
    numberColumn('hist-pairs', 'Historical pairs', (p) => p.histPairs, formatCount, 'hist_pairs'),
    {
      id: 'timed',
      header: 'Historical version',
      cell: (p) => (p.timed ? 'yes' : 'none'),
      csv: { headers: ['timed'], values: (p) => [String(p.timed)] },
    },
    {
      id: 'self-leak',
      header: 'Own user left out',
      cell: (p) => (p.selfLeak === 'uncorrectable' ? 'no: cannot be corrected' : 'yes'),
      csv: { headers: ['own_user_left_out'], values: (p) => [String(p.selfLeak !== 'uncorrectable')] },
    },
  ];
}

function tableColumns(preferences: readonly string[]): Column<EmbeddingTable>[] {
  return [
    {
      id: 'name',
      header: 'Embedding table',
      sortValue: (t) => t.name,
      cell: (t) => t.name,
      csv: { headers: ['table'], values: (t) => [t.name] },
    },
    numberColumn('ais', 'AIS', (t) => t.ais, formatDelta, 'ais'),
    {
      id: 'ais-spread',
      header: 'AIS over splits',
      numeric: true,
      cell: (t) => (t.aisSpread ? `${formatDelta(t.aisSpread[0])} to ${formatDelta(t.aisSpread[1])}` : 'n/a'),
      csv: { headers: ['ais_split_min', 'ais_split_max'], values: (t) => [...(t.aisSpread ?? [null, null])] },
    },
    intervalColumn('ais-ci', 'AIS 95% interval', (t) => t.aisCi, ['ais_low', 'ais_high']),
    ...preferences.map((pref) =>
      numberColumn(
        `efficiency-${pref}`,
        `Efficiency vs ${pref}`,
        (t: EmbeddingTable) => t.efficiency[pref] ?? null,
        formatRatio,
        `efficiency_${pref}`,
      ),
    ),
    ...preferences.map((pref): Column<EmbeddingTable> => ({
      id: `efficiency-ci-${pref}`,
      header: `Efficiency vs ${pref}, 95%`,
      numeric: true,
      cell: (t) =>
        t.efficiencyCi?.[pref]
          ? formatInterval(t.efficiencyCi[pref], (x) => formatRatio(x))
          : t.efficiencyNote?.[pref]
            ? element('span', 'cell-note', t.efficiencyNote[pref])
            : 'n/a',
      csv: {
        headers: [`efficiency_${pref}_low`, `efficiency_${pref}_high`],
        values: (t) => [...(t.efficiencyCi?.[pref] ?? [null, null])],
      },
    })),
  ];
}

const sweepKey = (s: SweepRow) => `${s.preference}|${s.window ?? 'none'}|${s.minCount}`;
const windowText = (w: number | null) =>
  w === null ? 'none' : w % 86400 === 0 && w >= 86400 ? `${w / 86400}d (${formatCount(w)})` : formatCount(w);
/** The window as a chart label: "7d", not "604,800" (seconds mean little at a glance; the table has both). */
const windowShort = (w: number | null) =>
  w === null ? 'none' : w % 86400 === 0 && w >= 86400 ? `${w / 86400}d` : formatCount(w);

function renderSweep(rows: readonly SweepRow[]): SVGSVGElement {
  const several = new Set(rows.map((s) => s.preference)).size > 1;
  const groups: BarGroup[] = rows.map((s) => ({
    key: sweepKey(s),
    label: `${several ? `${s.preference} · ` : ''}window ${windowShort(s.window)} · min ${s.minCount}`,
    bars: [
      { series: 0, value: s.lis, interval: s.lisCi, tooltip: `LIS ${formatDelta(s.lis)} ${formatInterval(s.lisCi)}` },
      {
        series: 1,
        value: s.value,
        interval: s.valueCi,
        tooltip:
          s.value === null ? 'no historical version' : `value ${formatDelta(s.value)} ${formatInterval(s.valueCi)}`,
      },
    ],
  }));
  return renderBarChart(groups, {
    ariaLabel: `LIS by window and minimum count: ${rows.map((s) => `window ${windowText(s.window)}, min ${s.minCount}: LIS ${formatDelta(s.lis)}`).join('; ')}. The table lists the intervals.`,
    axisTitle: 'AUC gain over the baseline probe',
    series: ['LIS (leaked pairs)', 'Value (historical pairs)'],
  });
}

function sweepColumns(): Column<SweepRow>[] {
  return [
    {
      id: 'preference',
      header: 'Preference data',
      sortValue: (s) => s.preference,
      cell: (s) => s.preference,
      csv: { headers: ['preference'], values: (s) => [s.preference] },
    },
    {
      id: 'window',
      header: 'Window',
      numeric: true,
      sortValue: (s) => s.window ?? Infinity,
      cell: (s) => windowText(s.window),
      csv: { headers: ['window'], values: (s) => [s.window] },
    },
    {
      id: 'min-count',
      header: 'Min count',
      numeric: true,
      sortValue: (s) => s.minCount,
      cell: (s) => String(s.minCount),
      csv: { headers: ['min_count'], values: (s) => [s.minCount] },
    },
    numberColumn('lis', 'LIS', (s) => s.lis, formatDelta, 'lis'),
    intervalColumn('lis-ci', 'LIS 95% interval', (s) => s.lisCi, ['lis_low', 'lis_high']),
    {
      id: 'lis-spread',
      header: 'LIS over splits',
      numeric: true,
      cell: (s) => `${formatDelta(s.lisSpread[0])} to ${formatDelta(s.lisSpread[1])}`,
      csv: { headers: ['lis_split_min', 'lis_split_max'], values: (s) => [...s.lisSpread] },
    },
    numberColumn('value', 'Value', (s) => s.value, formatDelta, 'value'),
    intervalColumn('value-ci', 'Value 95% interval', (s) => s.valueCi, ['value_low', 'value_high']),
    {
      id: 'pairs',
      header: 'Pairs (leaked / historical)',
      numeric: true,
      sortValue: (s) => s.leakPairs,
      cell: (s) => `${formatCount(s.leakPairs)} / ${formatCount(s.histPairs)}`,
      csv: { headers: ['leak_pairs', 'hist_pairs'], values: (s) => [s.leakPairs, s.histPairs] },
    },
  ];
}

function substitutionColumns(): Column<Substitution>[] {
  return [
    { id: 'input', header: 'Input', sortValue: (s) => s.input, cell: (s) => s.input },
    { id: 'table', header: 'Table', sortValue: (s) => s.table, cell: (s) => s.table },
    { id: 'preference', header: 'Preference data', sortValue: (s) => s.preference, cell: (s) => s.preference },
    numberColumn('auc', 'AUC', (s) => s.auc, formatMetric, 'auc', { sortable: false }),
    numberColumn('auc-substituted', 'AUC with T_P', (s) => s.aucSubstituted, formatMetric, 'auc_substituted', {
      sortable: false,
    }),
    numberColumn('delta', 'Δ AUC', (s) => s.delta, formatDelta, 'delta'),
  ];
}
