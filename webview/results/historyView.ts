/**
 * The history chart: AUC and GAUC of every evaluation run in the workspace, oldest to newest, each with its 95%
 * interval, so a change between model versions can be told from bootstrap noise. A table lists the same points.
 */
import { axisBottom, scaleLinear } from 'd3';
import type { HistoryPanelData, HistoryPoint } from '../../src/protocol/results';
import { chartSvg, element, note, svgElement } from '../shared/dom';
import { intervalColumn, numberColumn } from './columns';
import { DataTable } from './dataTable';
import { createFigure } from './figure';
import { formatCount, formatDate, formatInterval, formatMetric, slug } from './format';
import { plotAxes } from '../shared/axes';
import { tableSort, type ViewContext } from './viewContext';

const HEIGHT = 340;
const MARGIN = { top: 30, right: 20, bottom: 56, left: 62 };
const SERIES = [
  { key: 'auc', label: 'AUC', value: (p: HistoryPoint) => p.auc, ci: (p: HistoryPoint) => p.aucCi },
  { key: 'gauc', label: 'GAUC', value: (p: HistoryPoint) => p.gauc, ci: (p: HistoryPoint) => p.gaucCi },
] as const;

export function renderHistoryChart(points: readonly HistoryPoint[]): SVGSVGElement {
  const width = Math.max(420, Math.min(960, 140 + 70 * points.length));
  const values = points
    .flatMap((p) => SERIES.flatMap((s) => [s.value(p), ...(s.ci(p) ?? [])]))
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const y = scaleLinear()
    .domain([Math.min(...values), Math.max(...values)])
    .nice(5)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  // One slot per run; the two series sit side by side within it so their intervals never hide each other.
  const slot = (width - MARGIN.left - MARGIN.right) / Math.max(1, points.length);
  const x = (i: number, series: number) => MARGIN.left + slot * (i + 0.5) + (series - 0.5) * Math.min(14, slot / 4);
  const svg = chartSvg(
    width,
    HEIGHT,
    'history-chart',
    `AUC and GAUC of ${points.length} evaluation runs, oldest first, with 95% intervals: ${points.map((p) => `${formatDate(p.createdAt)} AUC ${formatMetric(p.auc)}`).join('; ')}. The table lists every run.`,
  );
  const grid = svgElement('g', { class: 'grid' });
  for (const t of y.ticks(5))
    grid.append(
      svgElement('line', { class: 'grid-line', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(t), y2: y(t) }),
    );
  svg.append(grid);
  SERIES.forEach((series, s) => {
    const g = svgElement('g', { class: `history-series series-${s}`, 'data-series': series.key });
    const drawn = points
      .map((p, i) => ({ p, i, v: series.value(p) }))
      .filter((d): d is { p: HistoryPoint; i: number; v: number } => d.v !== null && Number.isFinite(d.v));
    if (drawn.length > 1)
      g.append(
        svgElement('polyline', { class: 'history-line', points: drawn.map((d) => `${x(d.i, s)},${y(d.v)}`).join(' ') }),
      );
    for (const d of drawn) {
      const ci = series.ci(d.p);
      const point = svgElement('g', { class: 'history-point', 'data-run': d.p.runId, 'data-value': d.v });
      if (ci)
        point.append(
          svgElement('line', {
            class: 'error-bar',
            x1: x(d.i, s),
            x2: x(d.i, s),
            y1: y(ci[0]),
            y2: y(ci[1]),
            'data-lo': ci[0],
            'data-hi': ci[1],
          }),
        );
      point.append(svgElement('circle', { class: 'history-dot', cx: x(d.i, s), cy: y(d.v), r: 4 }));
      point.append(
        svgElement(
          'title',
          {},
          `${series.label} ${formatMetric(d.v)} ${ci ? formatInterval(ci, (v) => formatMetric(v)) : '(no interval)'} · ${formatDate(d.p.createdAt)} · ${d.p.config} · model ${d.p.model}`,
        ),
      );
      g.append(point);
    }
    svg.append(g);
  });
  const xs = scaleLinear()
    .domain([0, Math.max(1, points.length)])
    .range([MARGIN.left, width - MARGIN.right]);
  svg.append(
    ...plotAxes(xs, y, {
      xTitle: 'Evaluation run (oldest first; see the table)',
      yTitle: 'AUC / GAUC (95% interval)',
      height: HEIGHT,
      xTitleGap: 10,
      yTitleX: 16,
      // Run numbers as ticks (dates would collide); the table maps each number to its date and run id.
      xAxis: axisBottom(xs)
        .tickValues(points.map((_, i) => i + 0.5))
        .tickFormat((v: number) => `#${v + 0.5}`),
    }),
  );
  const legend = svgElement('g', { class: 'legend' });
  SERIES.forEach((series, s) => {
    legend.append(
      svgElement('circle', { class: `history-dot legend-dot series-${s}`, cx: MARGIN.left + 6 + 80 * s, cy: 12, r: 4 }),
      svgElement('text', { class: 'legend-label', x: MARGIN.left + 14 + 80 * s, y: 16 }, series.label),
    );
  });
  svg.append(legend);
  return svg;
}

export function renderHistoryView(container: HTMLElement, data: HistoryPanelData, context: ViewContext): void {
  if (!data.points.length) {
    container.append(note('No evaluation runs yet. Run "RecLens: Evaluate" (or reclens eval) to start the history.'));
    return;
  }
  const name = slug(data.title);
  const rows = data.points.map((p, i) => ({ ...p, index: i + 1 }));
  const table = new DataTable<(typeof rows)[number]>({
    caption: 'Every evaluation run, oldest first (95% group-bootstrap intervals where the run had a bootstrap)',
    columns: [
      { id: 'index', header: '#', numeric: true, sortValue: (r) => r.index, cell: (r) => String(r.index) },
      {
        id: 'date',
        header: 'Date',
        sortValue: (r) => r.createdAt,
        cell: (r) => formatDate(r.createdAt),
        csv: { headers: ['created_at'], values: (r) => [r.createdAt] },
      },
      numberColumn('auc', 'AUC', (r) => r.auc, formatMetric, 'auc'),
      intervalColumn('aucCi', 'AUC 95%', (r) => r.aucCi, ['auc_low', 'auc_high'], {
        format: formatMetric,
        missing: '—',
      }),
      numberColumn('gauc', 'GAUC', (r) => r.gauc, formatMetric, 'gauc'),
      intervalColumn('gaucCi', 'GAUC 95%', (r) => r.gaucCi, ['gauc_low', 'gauc_high'], {
        format: formatMetric,
        missing: '—',
      }),
      { id: 'rows', header: 'Rows', numeric: true, cell: (r) => formatCount(r.rows) },
      { id: 'config', header: 'Config · model', cell: (r) => `${r.config} · ${r.model}` },
      { id: 'run', header: 'Run', cell: (r) => r.runId },
    ],
    rowKey: (r) => r.runId,
    className: 'history-table',
    ...tableSort(context, 'history'),
  });
  table.setRows(rows);
  const chart = renderHistoryChart(data.points);
  const figure = createFigure(
    {
      title: 'AUC and GAUC across runs',
      exportName: `${name}-history`,
      caption:
        "Each run's AUC and GAUC with its 95% interval. Overlapping intervals mean the change may be bootstrap noise; compare two runs for a paired interval.",
      chart: () => chart,
      csv: () => table.toCsv(),
    },
    context.exporter,
  );
  figure.body.append(chart, table.element);
  const layout = element('div', 'history');
  layout.append(figure.element);
  container.append(layout);
}
