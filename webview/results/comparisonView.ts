/**
 * Run A vs run B: which runs, and, when both are evaluations of the same rows, each metric for A and B, the
 * difference B − A and its paired 95% interval (users resampled once, both scored), as a table and a chart.
 * Otherwise the engine's note says why the numbers are not paired.
 */
import type { RunComparison } from '../../src/protocol/results';
import { element, note } from '../shared/dom';
import { createButton } from '../ui/toolkit';
import { intervalColumn, numberColumn } from './columns';
import { renderBarChart } from './barChart';
import { DataTable } from './dataTable';
import { createFigure } from './figure';
import { formatCount, formatDelta, formatInterval, formatMetric } from './format';
import type { ViewContext } from './viewContext';

type Metric = 'auc' | 'gauc' | 'logloss';

interface DifferenceRow {
  metric: Metric;
  label: string;
  a: number | null;
  b: number | null;
  diff: number | null;
  interval: [number, number] | null;
  reading: string;
}

const LABELS: Record<Metric, string> = { auc: 'AUC', gauc: 'GAUC', logloss: 'LogLoss' };

/** In words: does the interval exclude 0, and which way is better (LogLoss: lower). */
function reading(metric: Metric, diff: number | null, interval: [number, number] | null): string {
  if (diff === null) return 'n/a';
  if (!interval) return 'no interval';
  if (interval[0] <= 0 && interval[1] >= 0) return 'no clear difference (interval contains 0)';
  const bIsBetter = metric === 'logloss' ? diff < 0 : diff > 0;
  return bIsBetter ? 'B is better' : 'A is better';
}

export function differenceRows(paired: NonNullable<RunComparison['paired']>): DifferenceRow[] {
  return (['auc', 'gauc', 'logloss'] as const)
    .filter((metric) => paired.a[metric] !== null || paired.b[metric] !== null)
    .map((metric) => {
      const interval = paired.ci?.[metric] ?? null;
      return {
        metric,
        label: LABELS[metric],
        a: paired.a[metric],
        b: paired.b[metric],
        diff: paired.diff[metric],
        interval,
        reading: reading(metric, paired.diff[metric], interval),
      };
    });
}

export function renderComparison(
  container: HTMLElement,
  comparison: RunComparison,
  context: ViewContext,
  name: string,
): void {
  const runs = element('div', 'comparison-runs');
  for (const [side, run] of [
    ['A', comparison.a],
    ['B', comparison.b],
  ] as const) {
    const card = element('section', 'run-card');
    card.setAttribute('aria-label', `Run ${side}`);
    card.append(
      element('h3', undefined, `${side}: ${run.label}`),
      element('p', 'run-meta', `${run.id} · model ${run.model} · ${run.config}`),
      createButton({
        label: `Open run ${side}`,
        title: `Open the record of ${run.id}`,
        onClick: () => context.host.post({ type: 'openRecord', runId: run.id }),
      }),
    );
    runs.append(card);
  }
  container.append(runs);
  container.append(
    note(
      comparison.sameData
        ? `Same data: ${comparison.rows === null ? '' : `${formatCount(comparison.rows)} rows, `}same file fingerprint.`
        : 'Different data: the runs did not score the same rows.',
    ),
  );
  if (comparison.note) {
    const message = note(comparison.note, 'comparison-note');
    message.setAttribute('role', 'note');
    container.append(message);
  }
  const paired = comparison.paired;
  if (!paired) return;

  const rows = differenceRows(paired);
  const table = new DataTable<DifferenceRow>({
    caption: `B − A with paired 95% intervals (${paired.bootstrap} group-bootstrap replicates, seed ${paired.seed})`,
    columns: [
      { id: 'metric', header: 'Metric', cell: (r) => r.label },
      numberColumn('a', 'A', (r) => r.a, formatMetric, 'a', { sortable: false }),
      numberColumn('b', 'B', (r) => r.b, formatMetric, 'b', { sortable: false }),
      numberColumn('diff', 'B − A', (r) => r.diff, formatDelta, 'b_minus_a', { sortable: false }),
      intervalColumn('interval', 'Paired 95% interval', (r) => r.interval, ['low', 'high']),
      { id: 'reading', header: 'Reading', cell: (r) => r.reading },
    ],
    rowKey: (r) => r.metric,
    className: 'comparison-table',
  });
  table.setRows(rows);
  const chart = renderBarChart(
    rows.map((r) => ({
      key: r.metric,
      label: r.label,
      bars: [
        {
          series: 0,
          value: r.diff,
          interval: r.interval,
          tooltip: `${r.label}: B − A ${formatDelta(r.diff)} ${formatInterval(r.interval)}`,
        },
      ],
    })),
    {
      ariaLabel: `B minus A: ${rows.map((r) => `${r.label} ${formatDelta(r.diff)} ${formatInterval(r.interval)}, ${r.reading}`).join('; ')}.`,
      axisTitle: 'B − A (AUC, GAUC: higher is better; LogLoss: lower is better)',
      series: ['B − A'],
    },
  );
  const figure = createFigure(
    { title: 'Differences', exportName: `${name}-comparison`, chart: () => chart, csv: () => table.toCsv() },
    context.exporter,
  );
  figure.body.append(chart, table.element);
  container.append(figure.element);
}
