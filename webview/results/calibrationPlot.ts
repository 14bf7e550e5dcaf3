/** The reliability diagram of an evaluation: one point per equal-mass bin (mean prediction vs observed rate) against the diagonal. */
import { scaleLinear } from 'd3';
import type { Calibration } from '../../src/protocol/results';
import { chartSvg, svgElement } from '../shared/dom';
import { formatCount, formatMetric, formatRatio } from './format';
import { plotAxes, plotGrid } from '../shared/axes';

const WIDTH = 420;
const HEIGHT = 360;
const MARGIN = { top: 14, right: 18, bottom: 46, left: 56 };

export function renderCalibrationPlot(calibration: Calibration): SVGSVGElement {
  const x = scaleLinear()
    .domain([0, 1])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const svg = chartSvg(
    WIDTH,
    HEIGHT,
    'calibration-plot',
    `Calibration over ${calibration.bins.length} equal-mass bins: mean prediction ${formatMetric(calibration.meanPrediction, 3)} vs observed rate ${formatMetric(calibration.observedRate, 3)} (ratio ${formatRatio(calibration.ratio)}), expected calibration error ${formatMetric(calibration.ece, 3)}. The table lists each bin.`,
  );
  svg.append(plotGrid(x, y));
  svg.append(svgElement('line', { class: 'reference-line', x1: x(0), y1: y(0), x2: x(1), y2: y(1) }));
  svg.append(
    svgElement('polyline', {
      class: 'calibration-line',
      points: calibration.bins.map((b) => `${x(b.meanPrediction)},${y(b.observedRate)}`).join(' '),
    }),
  );
  const largest = Math.max(1, ...calibration.bins.map((b) => b.count));
  calibration.bins.forEach((bin, i) => {
    const point = svgElement('circle', {
      class: 'calibration-point',
      cx: x(bin.meanPrediction),
      cy: y(bin.observedRate),
      r: 2.5 + 2.5 * Math.sqrt(bin.count / largest),
      'data-bin': i,
      'data-predicted': bin.meanPrediction,
      'data-observed': bin.observedRate,
    });
    point.append(
      svgElement(
        'title',
        {},
        `Bin ${i + 1}: ${formatCount(bin.count)} rows, mean prediction ${formatMetric(bin.meanPrediction, 3)}, observed rate ${formatMetric(bin.observedRate, 3)}`,
      ),
    );
    svg.append(point);
  });
  svg.append(
    ...plotAxes(x, y, { xTitle: 'Mean predicted probability', yTitle: 'Observed positive rate', height: HEIGHT }),
    svgElement('text', { class: 'legend-label', x: x(0.04), y: y(0.94) }, 'diagonal: perfectly calibrated'),
  );
  return svg;
}
