/**
 * An accessible, sortable table: real <table> markup with a caption and column headers, sort buttons that set
 * aria-sort, and arrow-key navigation between rows (Up/Down, Home/End; the same column's control is kept when a
 * row has one). The order on screen is the order of `rows`, of the CSV export, and of any chart drawn from it.
 */
import { element } from '../shared/dom';
import { toCsv, type CsvCell } from './csv';
import type { SortState } from './uiState';

export interface Column<Row> {
  id: string;
  header: string;
  /** Tooltip of the header: what the column means. */
  description?: string;
  numeric?: boolean;
  /** Makes the column sortable; null values sort last in both directions. */
  sortValue?: (row: Row) => number | string | null;
  cell: (row: Row) => string | Node;
  /** CSV columns for this column (e.g. an interval becomes low and high); default: the header and the cell's text. */
  csv?: { headers: string[]; values: (row: Row) => CsvCell[] };
}

export interface DataTableOptions<Row> {
  caption: string;
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  className?: string;
}

export class DataTable<Row> {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private readonly headers = new Map<string, HTMLTableCellElement>();
  private sort: SortState | undefined;
  private input: Row[] = [];
  private sorted: Row[] = [];

  constructor(private readonly options: DataTableOptions<Row>) {
    this.sort =
      options.sort && options.columns.some((c) => c.id === options.sort!.column && c.sortValue)
        ? options.sort
        : undefined;
    this.element = element('table', `data-table ${options.className ?? ''}`.trim());
    const caption = element('caption', undefined, options.caption);
    const head = element('thead');
    const headRow = element('tr');
    for (const column of options.columns) {
      const th = element('th');
      th.scope = 'col';
      if (column.numeric) th.classList.add('numeric');
      if (column.description) th.title = column.description;
      if (column.sortValue) {
        const button = element('button', 'sort-button');
        button.type = 'button';
        const indicator = element('span', 'sort-indicator');
        indicator.setAttribute('aria-hidden', 'true'); // aria-sort on the header already says it
        button.append(element('span', 'sort-label', column.header), indicator);
        button.addEventListener('click', () => this.toggleSort(column));
        th.append(button);
      } else {
        th.textContent = column.header;
      }
      this.headers.set(column.id, th);
      headRow.append(th);
    }
    head.append(headRow);
    this.body = element('tbody');
    this.body.addEventListener('keydown', (event) => this.navigate(event));
    this.element.append(caption, head, this.body);
    this.refreshHeaders();
  }

  /** Rows in display order. */
  get rows(): readonly Row[] {
    return this.sorted;
  }

  setRows(rows: readonly Row[]): void {
    this.input = [...rows];
    this.render();
  }

  toCsv(): string {
    const { columns } = this.options;
    const header = columns.flatMap((c) => c.csv?.headers ?? [c.header]);
    const lines = this.sorted.map((row) => columns.flatMap((c) => (c.csv ? c.csv.values(row) : [textOf(c.cell(row))])));
    return toCsv([header, ...lines]);
  }

  private toggleSort(column: Column<Row>): void {
    const same = this.sort?.column === column.id;
    this.sort = { column: column.id, descending: same ? !this.sort!.descending : !!column.numeric };
    this.refreshHeaders();
    this.render();
    this.options.onSortChange?.(this.sort);
  }

  private refreshHeaders(): void {
    for (const [id, th] of this.headers) {
      const active = this.sort?.column === id;
      if (th.querySelector('.sort-button'))
        th.setAttribute('aria-sort', active ? (this.sort!.descending ? 'descending' : 'ascending') : 'none');
      const indicator = th.querySelector('.sort-indicator');
      if (indicator) indicator.textContent = active ? (this.sort!.descending ? ' ▼' : ' ▲') : '';
    }
  }

  private render(): void {
    this.sorted = this.sortRows(this.input);
    // Keep the keyboard's place: the row that was the tab stop stays the tab stop if it is still shown.
    const tabStopKey = this.body.querySelector<HTMLElement>('tr[tabindex="0"]')?.dataset.key;
    const keys = this.sorted.map((row) => this.options.rowKey(row));
    const tabStop = Math.max(0, tabStopKey === undefined ? 0 : keys.indexOf(tabStopKey));
    this.body.replaceChildren(
      ...this.sorted.map((row, index) => {
        const tr = element('tr');
        tr.dataset.key = keys[index];
        tr.tabIndex = index === tabStop ? 0 : -1;
        for (const column of this.options.columns) {
          const td = element('td');
          if (column.numeric) td.classList.add('numeric');
          td.dataset.column = column.id;
          const content = column.cell(row);
          if (typeof content === 'string') td.textContent = content;
          else td.append(content);
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  private sortRows(rows: Row[]): Row[] {
    const column = this.options.columns.find((c) => c.id === this.sort?.column);
    if (!column?.sortValue) return rows;
    const value = column.sortValue;
    const direction = this.sort!.descending ? -1 : 1;
    return rows
      .map((row, index) => ({ row, index, key: value(row) }))
      .sort((a, b) => {
        if (a.key === null || b.key === null) return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
        const order =
          typeof a.key === 'number' && typeof b.key === 'number'
            ? a.key - b.key
            : String(a.key).localeCompare(String(b.key));
        return order !== 0 ? direction * order : a.index - b.index;
      })
      .map((entry) => entry.row);
  }

  /** Up/Down/Home/End move between rows; a focused control moves to the same column of the next row. */
  private navigate(event: KeyboardEvent): void {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const target = event.target as HTMLElement;
    const row = target.closest('tr');
    if (!row) return;
    const rows = Array.from(this.body.rows);
    const at = rows.indexOf(row);
    const next =
      event.key === 'ArrowDown'
        ? at + 1
        : event.key === 'ArrowUp'
          ? at - 1
          : event.key === 'Home'
            ? 0
            : rows.length - 1;
    if (next < 0 || next >= rows.length || next === at) return;
    event.preventDefault();
    const column = target === row ? undefined : (target.closest('td') as HTMLTableCellElement | null)?.dataset.column;
    const control = column
      ? rows[next].querySelector<HTMLElement>(
          `td[data-column="${column}"] button, td[data-column="${column}"] vscode-checkbox`,
        )
      : null;
    rows.forEach((r) => (r.tabIndex = -1));
    rows[next].tabIndex = 0;
    (control ?? rows[next]).focus();
  }
}

function textOf(content: string | Node): string {
  return typeof content === 'string' ? content : (content.textContent ?? '').trim();
}
