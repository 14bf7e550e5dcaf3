/** The impact chart: per slot, one bar per ablation method with its interval, and (on AUC) the ceiling behind the realised (mask) bar. */
import type { AblationMethod } from '../../src/protocol/results';
import { renderBarChart, type BarGroup } from './barChart';
import { formatDelta, formatInterval, formatPercent, formatPlain, formatRatio } from './format';
import { METHOD_LABELS, METRICS, type SlotImpact } from './impactRows';
import type { ImpactMetric } from './uiState';

export interface ImpactChartOptions {
  metric: ImpactMetric;
  methods: readonly AblationMethod[];
  onSlotClick?: (slot: string) => void;
}

/** The ceiling is an AUC quantity, realised through masking (docs/metrics.md 3a): it sits behind the mask bar, on AUC only. */
function ceilingBehind(
  row: SlotImpact,
  method: AblationMethod,
  methods: readonly AblationMethod[],
  metric: ImpactMetric,
): number | null {
  if (metric !== 'auc' || !row.ceiling) return null;
  const carrier = methods.includes('mask') ? 'mask' : methods[0];
  return method === carrier ? row.ceiling.ceiling : null;
}

export function renderImpactChart(rows: readonly SlotImpact[], options: ImpactChartOptions): SVGSVGElement {
  const { metric, methods } = options;
  const metricLabel = METRICS.find((m) => m.id === metric)!.label;
  const groups: BarGroup[] = rows.map((row) => ({
    key: row.slot,
    label: row.slot,
    note: metric === 'auc' && row.ceiling ? `${formatPercent(row.ceiling.efficiency)} of ceiling` : undefined,
    bars: methods.map((method, series) => {
      const impact = row.impacts[method];
      const underlay = ceilingBehind(row, method, methods, metric);
      const ceilingText =
        underlay !== null && row.ceiling
          ? `; ceiling ${formatPlain(row.ceiling.ceiling)}, efficiency ${formatRatio(row.ceiling.efficiency)}`
          : '';
      return {
        series,
        value: impact?.value ?? null,
        interval: impact?.interval ?? null,
        underlay,
        tooltip: `${row.slot} · ${METHOD_LABELS[method]}: Δ${metricLabel} ${formatDelta(impact?.value)} ${formatInterval(impact?.interval)}${ceilingText}`,
      };
    }),
  }));
  return renderBarChart(groups, {
    ariaLabel: summary(rows, options),
    axisTitle: METRICS.find((m) => m.id === metric)!.axisTitle,
    series: methods.map((m) => METHOD_LABELS[m]),
    underlay:
      metric === 'auc' && rows.some((r) => r.ceiling)
        ? { label: 'Ceiling (AUC)', className: 'ceiling-bar' }
        : undefined,
    onLabelClick: options.onSlotClick,
  });
}

/** What a screen reader hears for the chart: the ranking in words, largest impact first. */
function summary(rows: readonly SlotImpact[], { metric, methods }: ImpactChartOptions): string {
  const label = METRICS.find((m) => m.id === metric)!.label;
  if (!rows.length) return `Impact on ${label}: no slot to show.`;
  const lead = methods[0];
  const ranked = [...rows].sort(
    (a, b) => (b.impacts[lead]?.value ?? -Infinity) - (a.impacts[lead]?.value ?? -Infinity),
  );
  const parts = ranked.map(
    (row) =>
      `${row.slot} ${methods.map((m) => `${METHOD_LABELS[m].toLowerCase()} ${formatDelta(row.impacts[m]?.value)}`).join(', ')}`,
  );
  return `Impact on ${label} of ${rows.length} slots, ${methods.map((m) => METHOD_LABELS[m].toLowerCase()).join(' and ')}, largest first: ${parts.join('; ')}. The table below lists the same numbers with intervals.`;
}
