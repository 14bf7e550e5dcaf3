/**
 * Slices of an evaluation: a sortable table (worst AUC difference first by default) with each slice's intervals
 * and its paired interval against the whole, flagged slices marked; and small multiples of calibration, one
 * reliability diagram per slice on the same axes, the whole's curve drawn faintly in each for reference.
 */
import type { Calibration, SliceReport, SliceRow } from '../../src/protocol/results';
import { chartSvg, element, note, svgElement } from '../shared/dom';
import { intervalColumn, numberColumn } from './columns';
import { DataTable } from './dataTable';
import { createFigure } from './figure';
import { formatCount, formatDelta, formatMetric, formatPercent, formatRatio } from './format';
import { tableSort, type ViewContext } from './viewContext';

export function isSliceReport(value: unknown): value is SliceReport {
  const r = value as Partial<SliceReport> | null;
  return !!r && Array.isArray(r.slices) && !!r.whole && typeof r.whole.auc === 'number';
}

const CELL = 150;
const PAD = 26;

function miniCalibration(
  svg: SVGSVGElement,
  x0: number,
  y0: number,
  title: string,
  cal: Calibration,
  whole: Calibration,
  flagged: boolean,
): void {
  const sx = (p: number) => x0 + PAD + p * (CELL - PAD - 6);
  const sy = (p: number) => y0 + CELL - PAD - p * (CELL - PAD - 18);
  const g = svgElement('g', { class: `slice-calibration${flagged ? ' flagged' : ''}`, 'data-slice': title });
  g.append(
    svgElement('rect', {
      class: 'cell-frame',
      x: x0 + PAD,
      y: y0 + 18,
      width: CELL - PAD - 6,
      height: CELL - PAD - 18,
    }),
    svgElement(
      'text',
      { class: 'cell-title', x: x0 + PAD, y: y0 + 12 },
      `${flagged ? '! ' : ''}${title.length > 22 ? title.slice(0, 21) + '…' : title}`,
    ),
    svgElement('line', { class: 'reference-line', x1: sx(0), y1: sy(0), x2: sx(1), y2: sy(1) }),
    svgElement('polyline', {
      class: 'calibration-line whole',
      points: whole.bins.map((b) => `${sx(b.meanPrediction)},${sy(b.observedRate)}`).join(' '),
    }),
    svgElement('polyline', {
      class: 'calibration-line',
      points: cal.bins.map((b) => `${sx(b.meanPrediction)},${sy(b.observedRate)}`).join(' '),
    }),
    svgElement('text', { class: 'tick-label', x: sx(0), y: y0 + CELL - 8 }, '0'),
    svgElement('text', { class: 'tick-label', x: sx(1), y: y0 + CELL - 8, 'text-anchor': 'end' }, '1'),
    svgElement('text', { class: 'tick-label', x: x0 + PAD - 4, y: sy(1) + 4, 'text-anchor': 'end' }, '1'),
  );
  for (const b of cal.bins)
    g.append(
      svgElement('circle', { class: 'calibration-point', cx: sx(b.meanPrediction), cy: sy(b.observedRate), r: 2 }),
    );
  g.append(svgElement('title', {}, `${title}: ratio ${formatRatio(cal.ratio)}, ECE ${formatMetric(cal.ece, 3)}`));
  svg.append(g);
}

export function renderSliceCalibrationMultiples(report: SliceReport, order: SliceRow[], width = 760): SVGSVGElement {
  const perRow = Math.max(1, Math.floor(width / CELL));
  const shown = order.filter((s) => s.calibration.bins.length > 0);
  const rows = Math.max(1, Math.ceil(shown.length / perRow));
  const svg = chartSvg(
    perRow * CELL,
    rows * CELL,
    'slice-multiples',
    `Calibration per slice, ${shown.length} small reliability diagrams on the same axes (x: mean prediction, y: observed rate, 0 to 1); the faint line is the whole. The table lists each slice's ratio and ECE.`,
  );
  shown.forEach((s, i) =>
    miniCalibration(
      svg,
      (i % perRow) * CELL,
      Math.floor(i / perRow) * CELL,
      s.name,
      s.calibration,
      report.whole.calibration,
      s.flagged,
    ),
  );
  return svg;
}

export function renderSliceView(container: HTMLElement, report: SliceReport, context: ViewContext, name: string): void {
  const table = new DataTable<SliceRow>({
    caption: `Slices (${report.slices.length}; ${report.slices.filter((s) => s.flagged).length} flagged). Whole: AUC ${formatMetric(report.whole.auc)} over ${formatCount(report.whole.rows)} rows. ${report.rule}.`,
    columns: [
      {
        id: 'flag',
        header: 'Flag',
        cell: (s) => (s.flagged ? '! below' : ''),
        sortValue: (s) => (s.flagged ? 0 : 1),
        description: report.rule,
      },
      {
        id: 'slice',
        header: 'Slice',
        cell: (s) => s.name,
        sortValue: (s) => s.name,
        description: 'auto: slices come from popularity, activity and the history',
      },
      {
        id: 'rows',
        header: 'Rows',
        numeric: true,
        cell: (s) => `${formatCount(s.rows)} (${formatPercent(s.share)})`,
        sortValue: (s) => s.rows,
        csv: { headers: ['rows'], values: (s) => [s.rows] },
      },
      numberColumn('auc', 'AUC', (s) => s.auc, formatMetric, 'auc'),
      intervalColumn('aucCi', 'AUC 95%', (s) => s.ci?.auc, ['auc_low', 'auc_high'], {
        format: formatMetric,
        missing: '—',
      }),
      numberColumn('delta', 'AUC − whole', (s) => s.delta.auc, formatDelta, 'delta_auc'),
      intervalColumn('deltaCi', '95% paired', (s) => s.ci?.deltaAuc, ['delta_auc_low', 'delta_auc_high'], {
        format: formatDelta,
        missing: '—',
      }),
      numberColumn('gauc', 'GAUC', (s) => s.gauc, formatMetric, 'gauc'),
      numberColumn('logloss', 'LogLoss', (s) => s.logloss, formatMetric, 'logloss'),
      numberColumn('ratio', 'Calib. ratio', (s) => s.calibration.ratio, formatRatio, 'calibration_ratio'),
      numberColumn('ece', 'ECE', (s) => s.calibration.ece, formatMetric, 'ece'),
    ],
    rowKey: (s) => s.name,
    className: 'slices-table',
    ...tableSort(context, 'slices', { column: 'delta', descending: false }),
  });
  table.setRows(report.slices);
  const tableFigure = createFigure(
    { title: 'Slices', exportName: `${name}-slices`, csv: () => table.toCsv() },
    context.exporter,
  );
  tableFigure.body.append(table.element);
  if (!report.bootstrap)
    tableFigure.body.append(note('No bootstrap in this run: intervals and flags need eval --bootstrap B.'));
  for (const n of report.notes) tableFigure.body.append(note(n));

  const order = [...report.slices].sort((a, b) => (a.delta.auc ?? Infinity) - (b.delta.auc ?? Infinity));
  const plot = renderSliceCalibrationMultiples(report, order);
  const multiples = createFigure(
    {
      title: 'Calibration by slice',
      exportName: `${name}-calibration-by-slice`,
      caption:
        'One reliability diagram per slice (worst AUC difference first), same axes; the faint line is the whole, the diagonal is perfect calibration.',
      chart: () => plot,
      csv: () => table.toCsv(),
    },
    context.exporter,
  );
  multiples.body.append(plot);
  const section = element('div', 'slice-section');
  section.append(tableFigure.element, multiples.element);
  container.append(section);
}
