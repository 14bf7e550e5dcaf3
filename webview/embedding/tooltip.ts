/** The hover card of a point: id, label and every metadata value, placed beside the pointer inside the plot. */
import type { EmbeddingView } from '../../src/protocol/embedding';
import { formatValue } from './format';

export class Tooltip {
  readonly element: HTMLDivElement;

  constructor(container: HTMLElement) {
    this.element = document.createElement('div');
    this.element.className = 'tooltip';
    this.element.setAttribute('role', 'tooltip');
    this.element.hidden = true;
    container.appendChild(this.element);
  }

  show(view: EmbeddingView, index: number, at: [number, number], bounds: { width: number; height: number }): void {
    const rows: [string, string][] = [];
    if (view.labels?.[index]) rows.push(['label', view.labels[index]]);
    for (const column of view.metadata) {
      rows.push([
        column.name,
        column.kind === 'category'
          ? (column.dictionary[column.codes[index]] ?? 'missing')
          : formatValue(column.values[index], column.name),
      ]);
    }
    if (view.size) rows.push(['size', formatValue(view.size[index])]);

    const title = document.createElement('div');
    title.className = 'tooltip-id';
    title.textContent = view.ids[index];
    const list = document.createElement('dl');
    for (const [name, value] of rows) {
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent = value;
      list.append(term, detail);
    }
    this.element.replaceChildren(title, list);
    this.element.hidden = false;

    // Beside the pointer, flipped to the other side near the plot's right or bottom edge.
    const { offsetWidth: w, offsetHeight: h } = this.element;
    const x = at[0] + 14 + w > bounds.width ? Math.max(0, at[0] - 14 - w) : at[0] + 14;
    const y = at[1] + 14 + h > bounds.height ? Math.max(0, at[1] - 14 - h) : at[1] + 14;
    this.element.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
