/** Chart axes for the panels' SVG charts: a bottom axis, and the frame of an x-y plot (grid, both axes, titles). */
import { axisBottom, axisLeft, select, type Axis, type ScaleLinear } from 'd3';
import { svgElement } from './dom';

/** An x axis of `ticks` nice ticks (no end ticks) drawn at height `atY`; `className` adds to "axis axis-x". */
export function bottomAxis(x: ScaleLinear, atY: number, ticks: number, className = ''): SVGGElement {
  const axis = svgElement('g', {
    class: `axis axis-x${className ? ` ${className}` : ''}`,
    transform: `translate(0,${atY})`,
  });
  select(axis).call(axisBottom(x).ticks(ticks).tickSizeOuter(0));
  return axis;
}

/** Grid lines at 5 nice ticks of each scale, across the plot's area (the scales' ranges). */
export function plotGrid(x: ScaleLinear, y: ScaleLinear): SVGGElement {
  const grid = svgElement('g', { class: 'grid' });
  for (const t of x.ticks(5))
    grid.append(svgElement('line', { class: 'grid-line', x1: x(t), x2: x(t), y1: y.range()[0], y2: y.range()[1] }));
  for (const t of y.ticks(5))
    grid.append(svgElement('line', { class: 'grid-line', x1: x.range()[0], x2: x.range()[1], y1: y(t), y2: y(t) }));
  return grid;
}

export interface AxesOptions {
  xTitle: string;
  yTitle: string;
  /** The svg's height: the x title sits `xTitleGap` (8) above its bottom edge. */
  height: number;
  xTitleGap?: number;
  /** Where the rotated y title is centred, from the left edge (14). */
  yTitleX?: number;
  /** The x axis when it needs its own ticks (default: 5 nice ticks). */
  xAxis?: Axis;
}

/** The x axis along the bottom of the plot area and the y axis along its left edge, with both titles. */
export function plotAxes(x: ScaleLinear, y: ScaleLinear, o: AxesOptions): SVGElement[] {
  const [left, right] = x.range();
  const [bottom, top] = y.range();
  const xAxis = svgElement('g', { class: 'axis axis-x', transform: `translate(0,${bottom})` });
  select(xAxis).call((o.xAxis ?? axisBottom(x).ticks(5)).tickSizeOuter(0));
  const yAxis = svgElement('g', { class: 'axis axis-y', transform: `translate(${left},0)` });
  select(yAxis).call(axisLeft(y).ticks(5).tickSizeOuter(0));
  return [
    xAxis,
    yAxis,
    svgElement(
      'text',
      { class: 'axis-title', x: (left + right) / 2, y: o.height - (o.xTitleGap ?? 8), 'text-anchor': 'middle' },
      o.xTitle,
    ),
    svgElement(
      'text',
      {
        class: 'axis-title',
        transform: `translate(${o.yTitleX ?? 14},${(bottom + top) / 2}) rotate(-90)`,
        'text-anchor': 'middle',
      },
      o.yTitle,
    ),
  ];
}
