/**
 * The selected point's K nearest neighbours in the view's ORIGINAL space (from view.knn, not the 2-D layout), as
 * a keyboard-usable table: each id selects that neighbour, each row can open the item in the host.
 */
import type { EmbeddingView } from '../../src/protocol/embedding';
import { rebuildKeepingFocus } from '../shared/keepFocus';
import { formatCosine, formatValue } from './format';
import { swatch } from './legend';

export interface NeighbourTableInput {
  view: EmbeddingView;
  /** The selected point, as an index into this view. */
  index: number;
  colourOf(index: number): string;
  /** The same point's neighbour ids in the other view, to mark neighbours both tables agree on. */
  other?: { table: string; neighbourIds: ReadonlySet<string> };
  onSelect(id: string): void;
  onOpen(id: string): void;
  onEmphasise(index: number | undefined): void;
}

/** Neighbour indices of point `index`, nearest first, skipping the point itself if the list contains it. */
export function neighboursOf(view: EmbeddingView, index: number): { indices: number[]; cosines: number[] } {
  const { k, indices, cosines } = view.knn;
  const result = { indices: [] as number[], cosines: [] as number[] };
  for (let j = index * k; j < (index + 1) * k; j++) {
    if (indices[j] === index) continue;
    result.indices.push(indices[j]);
    result.cosines.push(cosines[j]);
  }
  return result;
}

export function renderNeighbourTable(container: HTMLElement, input: NeighbourTableInput): void {
  const { view, index } = input;
  const heading = document.createElement('h3');
  // Focus lands here when the control that had it is gone (Enter on a neighbour selects it: a new table is built).
  heading.tabIndex = -1;
  heading.dataset.focusKey = 'heading';
  heading.textContent = `Selected: ${view.ids[index]}${view.labels?.[index] ? ` · ${view.labels[index]}` : ''}`;

  const facts = document.createElement('p');
  facts.className = 'point-facts';
  facts.textContent = view.metadata
    .map(
      (c) =>
        `${c.name}: ${c.kind === 'category' ? (c.dictionary[c.codes[index]] ?? 'missing') : formatValue(c.values[index], c.name)}`,
    )
    .join(' · ');

  const neighbours = neighboursOf(view, index);
  const table = document.createElement('table');
  table.className = 'neighbours';
  const caption = document.createElement('caption');
  caption.textContent = `${neighbours.indices.length} nearest neighbours in ${view.table} (original space, cosine)`;
  const head = document.createElement('thead');
  const columns = [
    '#',
    'Item',
    ...(view.labels ? ['Label'] : []),
    'Cosine',
    ...(input.other ? [`Also near in ${input.other.table}`] : []),
    '',
  ];
  head.appendChild(row(columns.map((name) => cell('th', name))));
  const body = document.createElement('tbody');
  neighbours.indices.forEach((neighbour, rank) => {
    const id = view.ids[neighbour];
    const select = document.createElement('button');
    select.type = 'button';
    select.className = 'link-button';
    select.title = `Select ${id}`;
    select.dataset.focusKey = `select:${id}`;
    select.append(swatch(input.colourOf(neighbour)), document.createTextNode(id));
    select.addEventListener('click', () => input.onSelect(id));
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'row-action';
    open.textContent = 'Open';
    open.title = `Open ${id}`;
    // "Open" twenty times says nothing to a screen reader: the name carries the id (and starts with the visible word).
    open.setAttribute('aria-label', `Open ${id}`);
    open.dataset.focusKey = `open:${id}`;
    open.addEventListener('click', () => input.onOpen(id));

    const cells = [cell('td', String(rank + 1)), cell('td', select)];
    if (view.labels) cells.push(cell('td', view.labels[neighbour] ?? ''));
    const cosine = cell('td', formatCosine(neighbours.cosines[rank]));
    cosine.className = 'number';
    cells.push(cosine);
    if (input.other) {
      const shared = input.other.neighbourIds.has(id);
      const mark = cell('td', shared ? '✓' : '—');
      mark.setAttribute('aria-label', shared ? 'yes' : 'no');
      mark.className = shared ? 'shared' : 'not-shared';
      cells.push(mark);
    }
    cells.push(cell('td', open));
    const tr = row(cells);
    tr.dataset.id = id;
    tr.addEventListener('pointerenter', () => input.onEmphasise(neighbour));
    tr.addEventListener('pointerleave', () => input.onEmphasise(undefined));
    tr.addEventListener('focusin', () => input.onEmphasise(neighbour));
    tr.addEventListener('focusout', () => input.onEmphasise(undefined));
    body.appendChild(tr);
  });
  table.append(caption, head, body);
  rebuildKeepingFocus(container, () => container.replaceChildren(heading, facts, table), 'heading');
}

function row(cells: HTMLElement[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function cell(tag: 'td' | 'th', content: string | HTMLElement): HTMLTableCellElement {
  const element = document.createElement(tag);
  if (typeof content === 'string') element.textContent = content;
  else element.appendChild(content);
  if (tag === 'th') element.scope = 'col';
  return element;
}
