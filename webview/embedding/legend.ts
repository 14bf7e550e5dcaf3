/** The colour legend: category swatches (buttons that highlight a category) or a gradient with a d3 axis for numbers. */
import { axisBottom, scaleLinear, select } from 'd3';
import type { ColourEncoding } from './colourEncoding';
import { rebuildKeepingFocus } from '../shared/keepFocus';
import { formatCount } from './format';

const SVG = 'http://www.w3.org/2000/svg';

export interface LegendOptions {
  /** Palette slot of the highlighted category, if any. */
  highlighted?: number;
  onHighlight(slot: number | undefined): void;
  /** Shown under the colours, e.g. that point area follows the size channel. */
  note?: string;
}

export function renderLegend(container: HTMLElement, encoding: ColourEncoding, options: LegendOptions): void {
  const parts: HTMLElement[] = [];
  if (encoding.kind === 'category') parts.push(categoryLegend(encoding, options));
  else if (encoding.kind === 'number') parts.push(numberLegend(encoding));
  if (options.note) {
    const note = document.createElement('span');
    note.className = 'legend-note';
    note.textContent = options.note;
    parts.push(note);
  }
  // Pressing a category rebuilds the legend: focus stays on that category's button.
  rebuildKeepingFocus(container, () => container.replaceChildren(...parts));
}

function categoryLegend(encoding: Extract<ColourEncoding, { kind: 'category' }>, options: LegendOptions): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'legend-categories';
  list.setAttribute('aria-label', `Colour by ${encoding.column}; press a category to highlight it`);
  encoding.entries.forEach((entry, slot) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'legend-entry';
    button.dataset.focusKey = `legend:${entry.name}`;
    const pressed = options.highlighted === slot;
    button.setAttribute('aria-pressed', String(pressed));
    button.title = pressed ? 'Show all points' : `Highlight ${entry.name}`;
    button.append(
      swatch(entry.colour),
      text('legend-name', entry.name),
      text('legend-count', formatCount(entry.count)),
    );
    button.addEventListener('click', () => options.onHighlight(pressed ? undefined : slot));
    item.appendChild(button);
    list.appendChild(item);
  });
  return list;
}

function numberLegend(encoding: Extract<ColourEncoding, { kind: 'number' }>): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'legend-numeric';
  const width = 220;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width + 20));
  svg.setAttribute('height', '34');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${encoding.column}: colour from ${encoding.domain[0]} to ${encoding.domain[1]}`);
  const gradientId = `legend-gradient-${Math.random().toString(36).slice(2)}`;
  const defs = document.createElementNS(SVG, 'defs');
  const gradient = document.createElementNS(SVG, 'linearGradient');
  gradient.setAttribute('id', gradientId);
  for (let s = 0; s <= 10; s++) {
    const stop = document.createElementNS(SVG, 'stop');
    stop.setAttribute('offset', `${s * 10}%`);
    stop.setAttribute('stop-color', encoding.interpolate(s / 10));
    gradient.appendChild(stop);
  }
  defs.appendChild(gradient);
  const bar = document.createElementNS(SVG, 'rect');
  bar.setAttribute('x', '10');
  bar.setAttribute('y', '2');
  bar.setAttribute('width', String(width));
  bar.setAttribute('height', '10');
  bar.setAttribute('fill', `url(#${gradientId})`);
  const axis = document.createElementNS(SVG, 'g');
  axis.setAttribute('class', 'axis');
  axis.setAttribute('transform', 'translate(0,12)');
  svg.append(defs, bar, axis);
  select(axis).call(
    axisBottom(
      scaleLinear()
        .domain(encoding.domain)
        .range([10, 10 + width]),
    )
      .ticks(5)
      .tickSizeOuter(0),
  );

  const caption = text('legend-caption', `${encoding.column} (colour clipped to the 2nd–98th percentile)`);
  wrapper.append(svg, caption);
  if (encoding.missingCount) {
    const missing = document.createElement('span');
    missing.className = 'legend-missing';
    missing.append(
      swatch(encoding.palette[encoding.bins]),
      text('legend-name', `missing: ${formatCount(encoding.missingCount)}`),
    );
    wrapper.appendChild(missing);
  }
  return wrapper;
}

export function swatch(colour: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'swatch';
  span.style.backgroundColor = colour; // CSSOM, not a style attribute: allowed under the panel's CSP
  span.setAttribute('aria-hidden', 'true');
  return span;
}

function text(className: string, content: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = content;
  return span;
}
