/** An evaluation's ROC and precision-recall curves and its score histogram by label (the record's `curves`). */
import { scaleLinear, type ScaleLinear } from 'd3';
import type { Curves } from '../../src/protocol/results';
import { chartSvg, svgElement } from '../shared/dom';
import { formatCount, formatMetric } from './format';
import { plotAxes, plotGrid } from '../shared/axes';

const WIDTH = 360;
const HEIGHT = 320;
const MARGIN = { top: 14, right: 16, bottom: 46, left: 60 };

/** Grid lines, axes with nice ticks and both axis titles. */
function frame(svg: SVGSVGElement, x: ScaleLinear, y: ScaleLinear, xTitle: string, yTitle: string): void {
  svg.append(plotGrid(x, y), ...plotAxes(x, y, { xTitle, yTitle, height: HEIGHT }));
}

const unitScales = () => ({
  x: scaleLinear()
    .domain([0, 1])
    .range([MARGIN.left, WIDTH - MARGIN.right]),
  y: scaleLinear()
    .domain([0, 1])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]),
});

const points = (xs: number[], ys: number[], x: ScaleLinear, y: ScaleLinear) =>
  xs.map((v, i) => `${x(v).toFixed(1)},${y(ys[i]).toFixed(1)}`).join(' ');

export function renderRocCurve(curves: Curves, auc: number): SVGSVGElement {
  const { x, y } = unitScales();
  const svg = chartSvg(
    WIDTH,
    HEIGHT,
    'roc-curve',
    `ROC curve: true-positive rate against false-positive rate over every score threshold; AUC ${formatMetric(auc)}.`,
  );
  frame(svg, x, y, 'False-positive rate', 'True-positive rate (recall)');
  svg.append(
    svgElement('line', { class: 'reference-line', x1: x(0), y1: y(0), x2: x(1), y2: y(1) }),
    svgElement('polyline', {
      class: 'calibration-line curve-line',
      points: points(curves.roc.fpr, curves.roc.tpr, x, y),
    }),
  );
  return svg;
}

export function renderPrCurve(curves: Curves, positiveRate: number): SVGSVGElement {
  const { x, y } = unitScales();
  const svg = chartSvg(
    WIDTH,
    HEIGHT,
    'pr-curve',
    `Precision-recall curve; average precision ${formatMetric(curves.pr.averagePrecision)}; a random ranking has precision ${formatMetric(positiveRate)} (the positive rate).`,
  );
  frame(svg, x, y, 'Recall', 'Precision');
  svg.append(
    svgElement('line', { class: 'reference-line', x1: x(0), y1: y(positiveRate), x2: x(1), y2: y(positiveRate) }),
    svgElement('polyline', {
      class: 'calibration-line curve-line',
      points: points(curves.pr.recall, curves.pr.precision, x, y),
    }),
  );
  return svg;
}

export function renderScoreHistogram(curves: Curves): SVGSVGElement {
  const h = curves.histogram;
  const bins = h.positives.length;
  const x = scaleLinear()
    .domain([h.lo, h.hi])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...h.positives, ...h.negatives)])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top + 22]);
  const total = (c: number[]) => c.reduce((a, b) => a + b, 0);
  const svg = chartSvg(
    WIDTH,
    HEIGHT,
    'score-histogram',
    `Predicted probability by label in ${bins} bins: ${formatCount(total(h.positives))} positive and ${formatCount(total(h.negatives))} negative rows.`,
  );
  frame(svg, x, y, 'Predicted probability', 'Rows');
  const w = (h.hi - h.lo) / bins;
  for (const [counts, cls] of [
    [h.negatives, 'hist-negative'],
    [h.positives, 'hist-positive'],
  ] as const) {
    const g = svgElement('g', { class: cls });
    counts.forEach((c, i) => {
      if (!c) return;
      const bar = svgElement('rect', {
        x: x(h.lo + i * w) + 0.5,
        width: Math.max(0.5, x(h.lo + (i + 1) * w) - x(h.lo + i * w) - 1),
        y: y(c),
        height: y(0) - y(c),
      });
      bar.append(
        svgElement(
          'title',
          {},
          `${cls === 'hist-positive' ? 'label 1' : 'label 0'}, probability ${formatMetric(h.lo + i * w, 2)}–${formatMetric(h.lo + (i + 1) * w, 2)}: ${formatCount(c)} rows`,
        ),
      );
      g.append(bar);
    });
    svg.append(g);
  }
  // Legend above the plot, inside the chart's box.
  const legend = svgElement('g', { class: 'legend' });
  legend.append(
    svgElement('rect', { class: 'hist-negative', x: MARGIN.left, y: MARGIN.top, width: 12, height: 10 }),
    svgElement('text', { class: 'legend-label', x: MARGIN.left + 16, y: MARGIN.top + 9 }, 'label 0'),
    svgElement('rect', { class: 'hist-positive', x: MARGIN.left + 80, y: MARGIN.top, width: 12, height: 10 }),
    svgElement('text', { class: 'legend-label', x: MARGIN.left + 96, y: MARGIN.top + 9 }, 'label 1'),
  );
  svg.append(legend);
  return svg;
}
