/**
 * A grouped horizontal bar chart with 95% intervals as error bars, shared by the impact, LIS and comparison views.
 * Each group (a slot, a preference dataset, a metric) has one bar per series (mask / permute, LIS / value, ...);
 * a bar may carry an underlay drawn BEHIND it (a slot's ceiling behind its realised impact), so the share of
 * the underlay that the bar fills reads at a glance. Colours come from CSS classes (theme variables); the chart
 * is an image for assistive technology (role="img" with a summary), its table alternative is always next to it.
 */
import type { ScaleLinear } from 'd3';
import { chartSvg, svgElement } from '../shared/dom';
import { bottomAxis } from '../shared/axes';
import { signedScale } from './scales';

export interface BarDatum {
  /** Index into the chart's series (its colour and legend entry). */
  series: number;
  value: number | null;
  interval?: readonly [number, number] | null;
  /** Drawn behind this bar, from 0 (e.g. the slot's ceiling). */
  underlay?: number | null;
  tooltip: string;
}

export interface BarGroup {
  key: string;
  label: string;
  bars: BarDatum[];
  /** Text right of the group (e.g. "59% of ceiling"). */
  note?: string;
}

export interface BarChartOptions {
  ariaLabel: string;
  axisTitle: string;
  series: readonly string[];
  underlay?: { label: string; className: string };
  /** Makes group labels clickable (pointer only: the table alternative is the keyboard path). */
  onLabelClick?: (key: string) => void;
  width?: number;
}

const BAR = 14;
const BAR_GAP = 3;
const GROUP_PAD = 6;
const LEGEND = 26;
const AXIS = 44;
const CHAR = 7;

export function renderBarChart(groups: readonly BarGroup[], options: BarChartOptions): SVGSVGElement {
  const width = options.width ?? 760;
  const labelWidth = Math.min(200, Math.max(56, 14 + CHAR * Math.max(0, ...groups.map((g) => g.label.length))));
  const noteWidth = groups.some((g) => g.note) ? 132 : 16;
  const groupHeight = (g: BarGroup) => 2 * GROUP_PAD + g.bars.length * BAR + (g.bars.length - 1) * BAR_GAP;
  const plotTop = LEGEND + 6;
  const plotHeight = groups.reduce((sum, g) => sum + groupHeight(g), 0);
  const height = plotTop + plotHeight + AXIS;
  const x = signedScale(valuesOf(groups), [labelWidth, width - noteWidth], 6);

  const svg = chartSvg(width, height, 'bar-chart', options.ariaLabel);
  svg.append(legend(options));
  svg.append(gridLines(x, plotTop, plotTop + plotHeight));

  let y = plotTop;
  groups.forEach((group, index) => {
    const h = groupHeight(group);
    const g = svgElement('g', { class: 'bar-group', 'data-key': group.key, transform: `translate(0,${y})` });
    if (index % 2 === 1) g.append(svgElement('rect', { class: 'group-band', x: 0, y: 0, width, height: h }));
    const label = svgElement(
      'text',
      { class: 'group-label', x: labelWidth - 8, y: h / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' },
      group.label,
    );
    const onLabelClick = options.onLabelClick;
    if (onLabelClick) {
      label.classList.add('clickable');
      label.append(svgElement('title', {}, `Reveal ${group.label} in reclens.json`));
      label.addEventListener('click', () => onLabelClick(group.key));
    }
    g.append(label);
    group.bars.forEach((bar, b) => g.append(barRow(group.key, bar, options, x, GROUP_PAD + b * (BAR + BAR_GAP))));
    if (group.note)
      g.append(
        svgElement(
          'text',
          { class: 'group-note', x: width - noteWidth + 8, y: h / 2, 'dominant-baseline': 'central' },
          group.note,
        ),
      );
    svg.append(g);
    y += h;
  });

  svg.append(svgElement('line', { class: 'zero-line', x1: x(0), x2: x(0), y1: plotTop, y2: plotTop + plotHeight }));
  svg.append(bottomAxis(x, plotTop + plotHeight, 6));
  svg.append(
    svgElement(
      'text',
      { class: 'axis-title', x: (labelWidth + width - noteWidth) / 2, y: height - 6, 'text-anchor': 'middle' },
      options.axisTitle,
    ),
  );
  return svg;
}

/** One bar with its underlay (first, so it is drawn behind) and its error bar. */
function barRow(key: string, bar: BarDatum, options: BarChartOptions, x: ScaleLinear, top: number): SVGGElement {
  const row = svgElement('g', {
    class: 'bar-row',
    'data-key': key,
    'data-series': options.series[bar.series],
    transform: `translate(0,${top})`,
  });
  if (bar.value !== null) row.dataset.value = String(bar.value);
  row.append(svgElement('title', {}, bar.tooltip));
  if (options.underlay && bar.underlay !== null && bar.underlay !== undefined) {
    row.append(
      svgElement('rect', {
        class: `underlay-bar ${options.underlay.className}`,
        'data-value': bar.underlay,
        x: Math.min(x(0), x(bar.underlay)),
        y: -BAR_GAP,
        width: Math.abs(x(bar.underlay) - x(0)),
        height: BAR + 2 * BAR_GAP,
      }),
    );
  }
  if (bar.value === null) {
    row.append(
      svgElement('text', { class: 'missing-value', x: x(0) + 4, y: BAR / 2, 'dominant-baseline': 'central' }, 'n/a'),
    );
    return row;
  }
  row.append(
    svgElement('rect', {
      class: `bar series-${bar.series}`,
      x: Math.min(x(0), x(bar.value)),
      y: 0,
      width: Math.max(0.5, Math.abs(x(bar.value) - x(0))),
      height: BAR,
    }),
  );
  if (bar.interval) {
    const [lo, hi] = bar.interval;
    const mid = BAR / 2;
    const errorBar = svgElement('g', { class: 'error-bar', 'data-lo': lo, 'data-hi': hi });
    errorBar.append(
      svgElement('line', { x1: x(lo), x2: x(hi), y1: mid, y2: mid }),
      svgElement('line', { x1: x(lo), x2: x(lo), y1: mid - 4, y2: mid + 4 }),
      svgElement('line', { x1: x(hi), x2: x(hi), y1: mid - 4, y2: mid + 4 }),
    );
    row.append(errorBar);
  }
  return row;
}

function valuesOf(groups: readonly BarGroup[]): number[] {
  return groups
    .flatMap((g) => g.bars.flatMap((b) => [b.value, ...(b.interval ?? []), b.underlay]))
    .filter((v): v is number => typeof v === 'number');
}

function gridLines(x: ScaleLinear, top: number, bottom: number): SVGGElement {
  const g = svgElement('g', { class: 'grid' });
  for (const tick of x.ticks(6))
    g.append(svgElement('line', { class: 'grid-line', x1: x(tick), x2: x(tick), y1: top, y2: bottom }));
  return g;
}

function legend(options: BarChartOptions): SVGGElement {
  const g = svgElement('g', { class: 'legend', transform: 'translate(0,6)' });
  let at = 8;
  const entry = (swatch: SVGElement, label: string) => {
    swatch.setAttribute('transform', `translate(${at},0)`);
    g.append(
      swatch,
      svgElement('text', { class: 'legend-label', x: at + 18, y: 6, 'dominant-baseline': 'central' }, label),
    );
    at += 18 + CHAR * label.length + 18;
  };
  options.series.forEach((label, i) =>
    entry(svgElement('rect', { class: `bar series-${i}`, width: 12, height: 12 }), label),
  );
  if (options.underlay)
    entry(
      svgElement('rect', { class: `underlay-bar ${options.underlay.className}`, width: 12, height: 12 }),
      options.underlay.label,
    );
  const whisker = svgElement('g', { class: 'error-bar' });
  whisker.append(
    svgElement('line', { x1: 0, x2: 12, y1: 6, y2: 6 }),
    svgElement('line', { x1: 0, x2: 0, y1: 2, y2: 10 }),
    svgElement('line', { x1: 12, x2: 12, y1: 2, y2: 10 }),
  );
  entry(whisker, '95% interval');
  return g;
}
