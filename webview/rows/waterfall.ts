/**
 * The occlusion waterfall of one row: from the probability with every slot masked, each slot's effect (its
 * probability minus the probability with it masked) as a step, largest first, then the interaction of the slots
 * together, ending at the row's probability. A whisker on each step shows the spread over K other rows' values.
 */
import { scaleLinear } from 'd3';
import type { OcclusionResult } from '../../src/protocol/rows';
import { chartSvg, svgElement } from '../shared/dom';
import { bottomAxis } from '../shared/axes';

const WIDTH = 560;
const BAR = 18;
const GAP = 6;
const LEFT = 130;
const RIGHT = 70;
const TOP = 8;
const AXIS = 30;

const f = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(4);

export function renderWaterfall(o: OcclusionResult): SVGSVGElement {
  const steps = [
    { label: 'all slots masked', from: 0, to: o.allMaskedProb, kind: 'base' },
    ...o.attributions.map((a) => ({
      label: a.slot,
      from: 0,
      to: a.effect,
      kind: 'slot',
      spread: a.permuted,
      masked: a.maskedProb,
    })),
    { label: 'interaction', from: 0, to: o.interaction, kind: 'interaction' },
  ];
  let at = 0;
  const bars = steps.map((s) => {
    const from = s.kind === 'base' ? 0 : at;
    const to = s.kind === 'base' ? s.to : at + s.to;
    at = to;
    return { ...s, from, to };
  });
  const height = TOP + (bars.length + 1) * (BAR + GAP) + AXIS;
  const whiskers = bars.flatMap((b) =>
    'spread' in b && b.spread && b.spread.k > 0
      ? [b.from + b.spread.min - b.masked, b.from + b.spread.max - b.masked]
      : [],
  );
  const values = bars.flatMap((b) => [b.from, b.to]).concat([0, 1, o.prob], whiskers);
  const x = scaleLinear()
    .domain([Math.min(...values), Math.max(...values)])
    .nice()
    .range([LEFT, WIDTH - RIGHT]);
  const svg = chartSvg(
    WIDTH,
    height,
    'waterfall',
    `Occlusion waterfall: all slots masked ${o.allMaskedProb.toFixed(4)}, ${o.attributions.map((a) => `${a.slot} ${f(a.effect)}`).join(', ')}, interaction ${f(o.interaction)}, probability ${o.prob.toFixed(4)}.`,
  );
  bars.forEach((b, i) => {
    const y = TOP + i * (BAR + GAP);
    const cls = b.kind === 'base' ? 'base' : b.to >= b.from ? 'up' : 'down';
    const g = svgElement('g', { class: `waterfall-step ${cls}`, 'data-slot': b.kind === 'slot' ? b.label : b.kind });
    g.append(
      svgElement(
        'text',
        { class: 'group-label', x: LEFT - 8, y: y + BAR / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' },
        b.label,
      ),
      svgElement('rect', {
        class: `bar ${cls}`,
        x: Math.min(x(b.from), x(b.to)),
        y,
        width: Math.max(1, Math.abs(x(b.to) - x(b.from))),
        height: BAR,
      }),
      svgElement(
        'text',
        { class: 'value-label', x: WIDTH - RIGHT + 6, y: y + BAR / 2, 'dominant-baseline': 'central' },
        b.kind === 'base' ? b.to.toFixed(4) : f(b.to - b.from),
      ),
    );
    if ('spread' in b && b.spread && b.spread.k > 0) {
      // Where this step would end with the slot taken from another row instead: its effect would be p' - masked.
      const lo = b.from + (b.spread.min - b.masked),
        hi = b.from + (b.spread.max - b.masked);
      const whisker = svgElement('line', { class: 'spread', x1: x(lo), x2: x(hi), y1: y + BAR / 2, y2: y + BAR / 2 });
      whisker.append(
        svgElement(
          'title',
          {},
          `${b.label} from ${b.spread.k} other rows: probability ${b.spread.min.toFixed(4)} to ${b.spread.max.toFixed(4)} (mean ${b.spread.mean.toFixed(4)})`,
        ),
      );
      g.append(whisker);
    }
    if (i > 0) g.append(svgElement('line', { class: 'connector', x1: x(b.from), x2: x(b.from), y1: y - GAP, y2: y }));
    svg.append(g);
  });
  const y = TOP + bars.length * (BAR + GAP);
  svg.append(
    svgElement('rect', {
      class: 'bar total',
      x: x(Math.min(0, o.prob)),
      y,
      width: Math.max(1, Math.abs(x(o.prob) - x(0))),
      height: BAR,
      'data-slot': 'total',
    }),
    svgElement(
      'text',
      { class: 'group-label', x: LEFT - 8, y: y + BAR / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' },
      'probability',
    ),
    svgElement(
      'text',
      { class: 'value-label', x: WIDTH - RIGHT + 6, y: y + BAR / 2, 'dominant-baseline': 'central' },
      o.prob.toFixed(4),
    ),
  );
  svg.append(bottomAxis(x, height - AXIS + 4, 6));
  return svg;
}
