/**
 * Builders for the numeric columns of the result tables (dataTable.ts), which all have one of two shapes: a number
 * (its text in the cell, right-aligned; the value itself in the CSV) or a 95% interval ("[low, high]" in the cell,
 * its two bounds in the CSV). Written once here so that every table formats, sorts and exports them alike.
 */
import type { Column } from './dataTable';
import { formatInterval } from './format';

/** What every numeric column has: its id and header, right-aligned, and the header's tooltip when there is one. */
function numericHeader(id: string, header: string, description: string | undefined) {
  return { id, header, numeric: true, ...(description === undefined ? {} : { description }) };
}

export interface NumberColumnOptions {
  /** Sorted by the value when its header is clicked (default true; false: a plain header). */
  sortable?: boolean;
  /** Tooltip of the header: what the column means. */
  description?: string;
}

/** A number: `format(value)` in the cell, `value` under `csvHeader` in the CSV, sortable by `value` unless told not. */
export function numberColumn<Row, V extends number | null | undefined>(
  id: string,
  header: string,
  value: (row: Row) => V,
  format: (value: V) => string,
  csvHeader: string,
  { sortable = true, description }: NumberColumnOptions = {},
): Column<Row> {
  return {
    ...numericHeader(id, header, description),
    ...(sortable ? { sortValue: (row: Row) => value(row) ?? null } : {}),
    cell: (row) => format(value(row)),
    csv: { headers: [csvHeader], values: (row) => [value(row)] },
  };
}

export interface IntervalColumnOptions {
  /** How each bound is written (default: formatInterval's). */
  format?: (x: number) => string;
  /** The cell of a row without an interval (default: formatInterval's "n/a"). */
  missing?: string;
  description?: string;
}

/** A 95% interval: "[low, high]" in the cell, its bounds under `csvHeaders` in the CSV (empty when there is none). */
export function intervalColumn<Row>(
  id: string,
  header: string,
  interval: (row: Row) => readonly [number, number] | null | undefined,
  csvHeaders: [string, string],
  { format, missing, description }: IntervalColumnOptions = {},
): Column<Row> {
  return {
    ...numericHeader(id, header, description),
    cell: (row) => {
      const bounds = interval(row);
      return bounds || missing === undefined ? formatInterval(bounds, format) : missing;
    },
    csv: { headers: csvHeaders, values: (row) => [...(interval(row) ?? [null, null])] },
  };
}
