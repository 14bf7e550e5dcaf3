/**
 * The efficiency matrix AIS(T) / LIS(P) as a heat map: embedding tables down, preference datasets across, each
 * cell coloured on a 0..1 scale (clamped; efficiency can exceed 1 when the table beats what the data can give)
 * and labelled with its number. Colours run from the editor background to the theme's chart blue, so the scale
 * works in light, dark and high-contrast themes; each number's colour reaches 4.5:1 against its own cell (the
 * stylesheet leaves text with its own fill alone).
 */
import { interpolateRgb, rgb, scaleLinear } from 'd3';
import type { LisResult } from '../../src/protocol/results';
import type { Theme } from '../shared/theme';
import { textColourOn } from '../shared/contrast';
import { chartSvg, svgElement } from '../shared/dom';
import { formatRatio } from './format';

const CELL_HEIGHT = 36;
const HEADER = 40;
const LEGEND = 44;

export function efficiencyColour(theme: Theme): (value: number) => string {
  const t = scaleLinear().domain([0, 1]).range([0.08, 1]).clamp(true);
  const mix = interpolateRgb(theme.background, theme.point);
  return (value) => rgb(mix(t(value))).formatHex();
}

/** The cell's text colour: the theme's foreground or background if one reaches 4.5:1 on the fill, else black or white. */
function textOn(fill: string, theme: Theme): string {
  return textColourOn(fill, [theme.foreground, theme.background]);
}

export function renderEfficiencyHeatMap(lis: Pick<LisResult, 'tables' | 'preferences'>, theme: Theme): SVGSVGElement {
  const prefs = lis.preferences.map((p) => p.name);
  const labelWidth = Math.min(200, Math.max(64, 16 + 7 * Math.max(0, ...lis.tables.map((t) => t.name.length))));
  const cellWidth = Math.max(90, Math.min(160, (760 - labelWidth) / Math.max(1, prefs.length)));
  const width = labelWidth + cellWidth * prefs.length + 8;
  const height = HEADER + CELL_HEIGHT * lis.tables.length + LEGEND;
  const colour = efficiencyColour(theme);
  const svg = chartSvg(
    width,
    height,
    'heat-map',
    `Efficiency AIS / LIS of ${lis.tables.length} embedding tables against ${prefs.length} preference datasets: ${lis.tables
      .map((t) => `${t.name}: ${prefs.map((p) => `${p} ${formatRatio(t.efficiency[p])}`).join(', ')}`)
      .join('; ')}.`,
  );
  prefs.forEach((pref, c) =>
    svg.append(
      svgElement(
        'text',
        { class: 'column-label', x: labelWidth + (c + 0.5) * cellWidth, y: HEADER - 12, 'text-anchor': 'middle' },
        pref,
      ),
    ),
  );
  lis.tables.forEach((table, r) => {
    const y = HEADER + r * CELL_HEIGHT;
    svg.append(
      svgElement(
        'text',
        {
          class: 'group-label',
          x: labelWidth - 10,
          y: y + CELL_HEIGHT / 2,
          'text-anchor': 'end',
          'dominant-baseline': 'central',
        },
        table.name,
      ),
    );
    prefs.forEach((pref, c) => {
      const value = table.efficiency[pref] ?? null;
      const cell = svgElement('g', {
        class: 'heat-cell',
        'data-table': table.name,
        'data-preference': pref,
        'data-value': value === null ? 'null' : value,
        transform: `translate(${labelWidth + c * cellWidth},${y})`,
      });
      const fill = value === null ? null : colour(value);
      cell.append(
        svgElement('rect', {
          class: value === null ? 'heat-missing' : 'heat-fill',
          width: cellWidth - 2,
          height: CELL_HEIGHT - 2,
          fill,
        }),
        svgElement(
          'text',
          {
            class: 'heat-value',
            x: (cellWidth - 2) / 2,
            y: (CELL_HEIGHT - 2) / 2,
            'text-anchor': 'middle',
            'dominant-baseline': 'central',
            fill: fill ? textOn(fill, theme) : null,
          },
          value === null ? 'n/a' : formatRatio(value),
        ),
        svgElement('title', {}, `${table.name} vs ${pref}: efficiency ${formatRatio(value)}`),
      );
      svg.append(cell);
    });
  });
  svg.append(
    legend(colour, labelWidth, HEADER + CELL_HEIGHT * lis.tables.length + 14, Math.min(240, width - labelWidth - 8)),
  );
  return svg;
}

function legend(colour: (v: number) => string, x: number, y: number, width: number): SVGGElement {
  const g = svgElement('g', { class: 'heat-legend', transform: `translate(${x},${y})` });
  const steps = 10;
  for (let i = 0; i < steps; i++)
    g.append(
      svgElement('rect', {
        x: (i * width) / steps,
        y: 0,
        width: width / steps + 0.5,
        height: 10,
        fill: colour((i + 0.5) / steps),
      }),
    );
  g.append(
    svgElement('text', { class: 'legend-label', x: 0, y: 24 }, '0'),
    svgElement('text', { class: 'legend-label', x: width / 2, y: 24, 'text-anchor': 'middle' }, 'efficiency'),
    svgElement('text', { class: 'legend-label', x: width, y: 24, 'text-anchor': 'end' }, '≥ 1'),
  );
  return g;
}
