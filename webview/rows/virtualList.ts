/**
 * A virtualised list of fixed-height rows: only the rows in view (plus a margin) exist in the DOM, and rows come
 * from the host a page at a time, so a million rows scroll without freezing. Pages already fetched are cached.
 */
import type { RowView } from '../../src/protocol/rows';
import { element } from '../shared/dom';

export const ROW_HEIGHT = 28;
export const PAGE = 200;

export interface VirtualListOptions {
  /** Asks the host for rows [offset, offset + PAGE). */
  fetch(offset: number): void;
  renderRow(row: RowView, position: number): HTMLElement;
  onScroll(top: number): void;
}

export class VirtualList {
  readonly element: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly pages = new Map<number, RowView[]>();
  private readonly pending = new Set<number>();
  private total = 0;
  private frame = 0;
  selected: number | undefined;

  constructor(private readonly options: VirtualListOptions) {
    this.element = element('div', 'virtual-list');
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'listbox');
    this.element.setAttribute('aria-label', 'Rows, most wrong first');
    this.spacer = element('div', 'virtual-spacer');
    this.layer = element('div', 'virtual-layer');
    this.spacer.append(this.layer);
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => this.schedule());
  }

  /** A new query: forget the cached pages. */
  reset(total: number, scrollTop = 0): void {
    this.pages.clear();
    this.pending.clear();
    this.setTotal(total);
    this.element.scrollTop = scrollTop;
    this.schedule();
  }

  setTotal(total: number): void {
    this.total = total;
    this.spacer.style.height = `${total * ROW_HEIGHT}px`;
  }

  receive(offset: number, rows: RowView[], total: number): void {
    const page = Math.floor(offset / PAGE);
    this.pending.delete(page);
    this.pages.set(page, rows);
    if (total !== this.total) this.setTotal(total);
    this.schedule();
  }

  rowAt(position: number): RowView | undefined {
    return this.pages.get(Math.floor(position / PAGE))?.[position % PAGE];
  }

  get count(): number {
    return this.total;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const top = this.element.scrollTop;
    const height = this.element.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - 10);
    const last = Math.min(this.total, Math.ceil((top + height) / ROW_HEIGHT) + 10);
    this.options.onScroll(top);
    for (let page = Math.floor(first / PAGE); page <= Math.floor(Math.max(first, last - 1) / PAGE); page++) {
      if (page * PAGE >= this.total) break;
      if (!this.pages.has(page) && !this.pending.has(page)) {
        this.pending.add(page);
        this.options.fetch(page * PAGE);
      }
    }
    this.layer.replaceChildren();
    this.layer.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (let pos = first; pos < last; pos++) {
      const row = this.rowAt(pos);
      const el = row ? this.options.renderRow(row, pos) : element('div', 'row-item loading', '…');
      if (row && row.index === this.selected) {
        el.classList.add('selected');
        el.setAttribute('aria-selected', 'true');
      }
      this.layer.append(el);
    }
  }
}
