/** An evaluation run's results: base metrics with their intervals, and the calibration plot with its bins table. */
import type { CalibrationBin, EvalResult } from '../../src/protocol/results';
import { element } from '../shared/dom';
import { intervalColumn, numberColumn } from './columns';
import { renderCalibrationPlot } from './calibrationPlot';
import { renderPrCurve, renderRocCurve, renderScoreHistogram } from './rankingCurves';
import { DataTable } from './dataTable';
import { createFigure } from './figure';
import { formatCount, formatDelta, formatMetric, formatRatio } from './format';
import type { ViewContext } from './viewContext';

interface MetricRow {
  metric: string;
  value: number | null;
  interval: [number, number] | null;
  note: string;
}

export function isEvalResult(value: unknown): value is EvalResult {
  const r = value as Partial<EvalResult> | null;
  return (
    !!r &&
    typeof r.auc === 'number' &&
    typeof r.logloss === 'number' &&
    !!r.calibration &&
    Array.isArray(r.calibration.bins)
  );
}

export function metricRows(result: EvalResult): MetricRow[] {
  const bootstrap = result.bootstrap
    ? `${result.bootstrap.replicates} bootstrap replicates by ${result.bootstrap.unit}`
    : 'no bootstrap';
  return [
    { metric: 'AUC', value: result.auc, interval: result.ci?.auc ?? null, note: bootstrap },
    {
      metric: 'GAUC',
      value: result.gauc,
      interval: result.ci?.gauc ?? null,
      note: result.groups
        ? `${formatCount(result.groups.used)} groups used, ${formatCount(result.groups.skipped)} skipped (one class only)`
        : 'no data.group',
    },
    { metric: 'LogLoss', value: result.logloss, interval: result.ci?.logloss ?? null, note: 'lower is better' },
    {
      metric: 'Calibration ratio',
      value: result.calibration.ratio,
      interval: null,
      note: `mean prediction ${formatMetric(result.calibration.meanPrediction)} / observed rate ${formatMetric(result.calibration.observedRate)}; 1 is calibrated on average`,
    },
    {
      metric: 'ECE',
      value: result.calibration.ece,
      interval: null,
      note: `expected calibration error over ${result.calibration.bins.length} equal-mass bins`,
    },
  ];
}

export function renderEvalSummary(
  container: HTMLElement,
  result: EvalResult,
  context: ViewContext,
  name: string,
): void {
  const metrics = new DataTable<MetricRow>({
    caption: `Base metrics over ${formatCount(result.rows)} rows (${formatCount(result.positives)} positives), 95% group-bootstrap intervals`,
    columns: [
      { id: 'metric', header: 'Metric', cell: (r) => r.metric },
      numberColumn('value', 'Value', (r) => r.value, formatMetric, 'value', { sortable: false }),
      intervalColumn('interval', '95% interval', (r) => r.interval, ['low', 'high'], {
        format: formatMetric,
        missing: '—',
      }),
      { id: 'note', header: 'Note', cell: (r) => r.note },
    ],
    rowKey: (r) => r.metric,
    className: 'metrics-table',
  });
  metrics.setRows(metricRows(result));
  const metricsFigure = createFigure(
    { title: 'Base metrics', exportName: `${name}-metrics`, csv: () => metrics.toCsv() },
    context.exporter,
  );
  metricsFigure.body.append(metrics.element);

  const bins = new DataTable<CalibrationBin & { index: number }>({
    caption: 'Calibration bins (equal mass, by predicted probability)',
    columns: [
      { id: 'bin', header: 'Bin', numeric: true, cell: (b) => String(b.index + 1) },
      numberColumn('rows', 'Rows', (b) => b.count, formatCount, 'rows', { sortable: false }),
      numberColumn('predicted', 'Mean prediction', (b) => b.meanPrediction, formatMetric, 'mean_prediction', {
        sortable: false,
      }),
      numberColumn('observed', 'Observed rate', (b) => b.observedRate, formatMetric, 'observed_rate', {
        sortable: false,
      }),
      numberColumn('gap', 'Observed − predicted', (b) => b.observedRate - b.meanPrediction, formatDelta, 'gap', {
        sortable: false,
      }),
    ],
    rowKey: (b) => String(b.index),
    className: 'bins-table',
  });
  bins.setRows(result.calibration.bins.map((b, index) => ({ ...b, index })));
  const plot = renderCalibrationPlot(result.calibration);
  const calibrationFigure = createFigure(
    {
      title: 'Calibration',
      exportName: `${name}-calibration`,
      caption: `Ratio ${formatRatio(result.calibration.ratio)} (above 1 over-predicts), ECE ${formatMetric(result.calibration.ece)}. Points above the diagonal: more positives than predicted.`,
      chart: () => plot,
      csv: () => bins.toCsv(),
    },
    context.exporter,
  );
  const details = element('details', 'table-details');
  details.append(element('summary', undefined, 'Bins as a table'), bins.element);
  calibrationFigure.body.append(plot, details);

  const layout = element('div', 'side-by-side');
  layout.append(metricsFigure.element, calibrationFigure.element);
  container.append(layout);
  if (result.curves) container.append(renderCurveFigures(result, result.curves, context, name));
}

/** ROC, precision-recall and the score histogram by label, side by side while there is room. */
function renderCurveFigures(
  result: EvalResult,
  curves: NonNullable<EvalResult['curves']>,
  context: ViewContext,
  name: string,
): HTMLElement {
  const roc = renderRocCurve(curves, result.auc);
  const pr = renderPrCurve(curves, result.positives / result.rows);
  const hist = renderScoreHistogram(curves);
  const csvOf = (header: string[], rows: number[][]) =>
    [header.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
  const figures = [
    createFigure(
      {
        title: 'ROC curve',
        exportName: `${name}-roc`,
        caption: `AUC ${formatMetric(result.auc)}: the area under this curve. The diagonal is a random ranking.`,
        chart: () => roc,
        csv: () =>
          csvOf(
            ['fpr', 'tpr'],
            curves.roc.fpr.map((f, i) => [f, curves.roc.tpr[i]]),
          ),
      },
      context.exporter,
    ),
    createFigure(
      {
        title: 'Precision-recall',
        exportName: `${name}-pr`,
        caption: `Average precision ${formatMetric(curves.pr.averagePrecision)}. The flat line is the positive rate, a random ranking's precision.`,
        chart: () => pr,
        csv: () =>
          csvOf(
            ['recall', 'precision'],
            curves.pr.recall.map((r, i) => [r, curves.pr.precision[i]]),
          ),
      },
      context.exporter,
    ),
    createFigure(
      {
        title: 'Scores by label',
        exportName: `${name}-scores`,
        caption:
          'How the predicted probabilities of positive and negative rows spread; the less they overlap, the better the ranking.',
        chart: () => hist,
        csv: () =>
          csvOf(
            ['bin_low', 'bin_high', 'label_0', 'label_1'],
            curves.histogram.positives.map((p, i) => {
              const w = (curves.histogram.hi - curves.histogram.lo) / curves.histogram.positives.length;
              return [curves.histogram.lo + i * w, curves.histogram.lo + (i + 1) * w, curves.histogram.negatives[i], p];
            }),
          ),
      },
      context.exporter,
    ),
  ];
  figures[0].body.append(roc);
  figures[1].body.append(pr);
  figures[2].body.append(hist);
  const row = element('div', 'side-by-side curves');
  row.append(...figures.map((f) => f.element));
  return row;
}
