/** What a lasso region is made of: its size and, for the colour column, counts per category or summary numbers. */
import type { EmbeddingView } from '../../src/protocol/embedding';
import type { ColourEncoding } from './colourEncoding';
import { formatCount, formatPercent, formatValue } from './format';
import { swatch } from './legend';

export type Composition =
  | { kind: 'count'; count: number; total: number }
  | {
      kind: 'category';
      count: number;
      total: number;
      column: string;
      rows: { name: string; colour: string; count: number }[];
    }
  | {
      kind: 'number';
      count: number;
      total: number;
      column: string;
      mean: number;
      median: number;
      min: number;
      max: number;
      missing: number;
    };

export function composeRegion(
  indices: readonly number[],
  view: EmbeddingView,
  encoding: ColourEncoding,
  paletteIndex: Uint16Array,
): Composition {
  const base = { count: indices.length, total: view.n };
  if (encoding.kind === 'category') {
    const counts = new Uint32Array(encoding.entries.length);
    for (const i of indices) counts[paletteIndex[i]]++;
    const rows = encoding.entries
      .map((entry, slot) => ({ name: entry.name, colour: entry.colour, count: counts[slot] }))
      .filter((r) => r.count > 0);
    rows.sort((a, b) => b.count - a.count);
    return { kind: 'category', ...base, column: encoding.column, rows };
  }
  if (encoding.kind === 'number') {
    const column = view.metadata.find((c) => c.name === encoding.column);
    const values: number[] = [];
    if (column?.kind === 'number')
      for (const i of indices) if (Number.isFinite(column.values[i])) values.push(column.values[i]);
    values.sort((a, b) => a - b);
    const mean = values.reduce((s, v) => s + v, 0) / (values.length || 1);
    const median = values.length ? (values[(values.length - 1) >> 1] + values[values.length >> 1]) / 2 : NaN;
    return {
      kind: 'number',
      ...base,
      column: encoding.column,
      mean: values.length ? mean : NaN,
      median,
      min: values[0] ?? NaN,
      max: values[values.length - 1] ?? NaN,
      missing: indices.length - values.length,
    };
  }
  return { kind: 'count', ...base };
}

/** `origin` says where the region was drawn when it came from the other view (points matched by id). */
export function renderComposition(container: HTMLElement, composition: Composition, origin?: string): void {
  const heading = document.createElement('h3');
  heading.textContent = `Region: ${formatCount(composition.count)} points (${formatPercent(composition.count / Math.max(1, composition.total))} of ${formatCount(composition.total)})`;
  const parts: HTMLElement[] = [heading];
  if (origin) parts.push(paragraph(`Same ids as the region drawn in ${origin}.`));
  if (composition.kind === 'category') {
    const list = document.createElement('ul');
    list.className = 'composition';
    list.setAttribute('aria-label', `Points per ${composition.column}`);
    for (const r of composition.rows) {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'composition-name';
      name.append(swatch(r.colour), document.createTextNode(r.name));
      const bar = document.createElement('span');
      bar.className = 'composition-bar';
      const fill = document.createElement('span');
      fill.style.width = formatPercent(r.count / Math.max(1, composition.count));
      fill.style.backgroundColor = r.colour;
      bar.appendChild(fill);
      const count = document.createElement('span');
      count.className = 'composition-count';
      count.textContent = `${formatCount(r.count)} (${formatPercent(r.count / Math.max(1, composition.count), 0)})`;
      item.append(name, bar, count);
      list.appendChild(item);
    }
    parts.push(list);
  } else if (composition.kind === 'number') {
    parts.push(
      paragraph(
        `${composition.column}: mean ${formatValue(composition.mean, composition.column)}, median ${formatValue(composition.median, composition.column)}, range ${formatValue(composition.min, composition.column)} to ${formatValue(composition.max, composition.column)}` +
          (composition.missing ? `, ${formatCount(composition.missing)} missing` : ''),
      ),
    );
  }
  container.replaceChildren(...parts);
}

function paragraph(content: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = content;
  return p;
}
