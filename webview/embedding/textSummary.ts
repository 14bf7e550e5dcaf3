/**
 * The scatter plot in words, for screen readers (and anyone who wants numbers): how many points each category has
 * and where its centre lies, the axes' ranges, and the selected point with its neighbours. The canvas itself is
 * hidden from assistive technology; this is its text alternative. Rebuilt in place so an open <details> stays open.
 */
import type { EmbeddingView } from '../../src/protocol/embedding';
import type { ColourEncoding } from './colourEncoding';
import { formatCount, formatValue } from './format';
import { neighboursOf } from './neighbourTable';
import { axisTitles } from './summary';

export interface SummaryInput {
  view: EmbeddingView;
  encoding: ColourEncoding | undefined;
  /** Palette index of each point of this view (its category slot when colouring by a category). */
  paletteIndex: Uint16Array | undefined;
  selected: number | undefined;
  /** Whether this pane's live line announces the selection (one pane does, so it is not read twice). */
  announce: boolean;
}

export interface CategoryRow {
  name: string;
  count: number;
  /** Mean layout position of the category's points (NaN when it has none here). */
  centroid: [number, number];
}

/** Per-category counts and centroids of one view (one row, "All points", when not coloured by a category). */
export function categoryRows(input: SummaryInput): CategoryRow[] {
  const { view, encoding, paletteIndex } = input;
  const byCategory = encoding?.kind === 'category' && paletteIndex !== undefined;
  const names = byCategory ? encoding.entries.map((e) => e.name) : ['All points'];
  const sums = names.map(() => ({ count: 0, x: 0, y: 0 }));
  for (let i = 0; i < view.n; i++) {
    const x = view.coords[2 * i];
    const y = view.coords[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const sum = sums[byCategory ? paletteIndex[i] : 0];
    if (!sum) continue;
    sum.count++;
    sum.x += x;
    sum.y += y;
  }
  return names.map((name, s) => ({
    name,
    count: sums[s].count,
    centroid: [sums[s].x / sums[s].count, sums[s].y / sums[s].count],
  }));
}

/** Creates the summary's elements under `parent`: a collapsible section and a live line that announces selections. */
export function createTextSummary(parent: HTMLElement): { details: HTMLDetailsElement; live: HTMLElement } {
  const details = document.createElement('details');
  details.className = 'scatter-summary';
  const live = document.createElement('p');
  live.className = 'visually-hidden selection-announcer';
  live.setAttribute('aria-live', 'polite');
  parent.append(details, live);
  return { details, live };
}

export function renderTextSummary(
  target: { details: HTMLDetailsElement; live: HTMLElement },
  input: SummaryInput,
): void {
  const { view, selected } = input;
  const summary = document.createElement('summary');
  summary.textContent = 'Text summary of the plot';
  const [xTitle, yTitle] = axisTitles(view);
  const range = (d: 0 | 1) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < view.n; i++) {
      const v = view.coords[2 * i + d];
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
    return `${formatValue(lo)} to ${formatValue(hi)}`;
  };
  const axes = document.createElement('p');
  axes.textContent = `${formatCount(view.n)} points. Horizontal axis ${xTitle}, ${range(0)}; vertical axis ${yTitle}, ${range(1)}.`;

  const table = document.createElement('table');
  table.className = 'category-summary';
  const caption = document.createElement('caption');
  const column = input.encoding?.kind === 'category' ? input.encoding.column : undefined;
  caption.textContent = column ? `Points per ${column}, with the centre of each group` : 'Centre of the points';
  const head = document.createElement('thead');
  head.appendChild(row('th', [column ?? 'Points', 'Count', `Centre ${xTitle}`, `Centre ${yTitle}`]));
  const body = document.createElement('tbody');
  for (const category of categoryRows(input)) {
    const tr = row('td', [
      category.name,
      formatCount(category.count),
      category.count ? formatValue(category.centroid[0]) : '—',
      category.count ? formatValue(category.centroid[1]) : '—',
    ]);
    tr.dataset.category = category.name;
    Array.from(tr.children)
      .slice(1)
      .forEach((td) => td.classList.add('number'));
    body.appendChild(tr);
  }
  table.append(caption, head, body);

  const selection = document.createElement('p');
  selection.className = 'selection-summary';
  selection.textContent = selected === undefined ? 'No point is selected.' : describeSelection(view, selected);
  target.details.replaceChildren(summary, axes, table, selection);
  const announcement =
    selected === undefined || !input.announce
      ? ''
      : `Selected ${view.ids[selected]} in ${view.table}; its neighbours are listed below the plot.`;
  if (target.live.textContent !== announcement) target.live.textContent = announcement;
}

/** e.g. "Selected item-00042 · Comedy film 42 at (1.2, −3.4). Nearest neighbours (original space): item-1 (0.981), …". */
export function describeSelection(view: EmbeddingView, index: number): string {
  const neighbours = neighboursOf(view, index);
  const name = view.labels?.[index] ? `${view.ids[index]} · ${view.labels[index]}` : view.ids[index];
  const list = neighbours.indices.map((j, r) => `${view.ids[j]} (${neighbours.cosines[r].toFixed(3)})`).join(', ');
  return `Selected ${name} at (${formatValue(view.coords[2 * index])}, ${formatValue(view.coords[2 * index + 1])}). ${neighbours.indices.length} nearest neighbours (original space, cosine): ${list}.`;
}

function row(tag: 'td' | 'th', cells: string[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const text of cells) {
    const cell = document.createElement(tag);
    cell.textContent = text;
    if (tag === 'th') cell.scope = 'col';
    tr.appendChild(cell);
  }
  return tr;
}
