/** Diagnostics for reclens.json `slices`: every column a condition reads exists in the data, with a fitting type. */
import type { ColumnInfo } from '../data/describe';
import { typeClass } from '../data/describe';
import type { SliceSpec } from './condition';
import { conditionColumns } from './condition';
import { suggestion } from '../util/suggest';

export interface SliceProblem {
  path: (string | number)[];
  code: string;
  message: string;
  replacement?: string;
}

export function checkSlices(slices: SliceSpec[], columns: ColumnInfo[]): SliceProblem[] {
  const out: SliceProblem[] = [];
  const names = columns.map((c) => c.name);
  for (const s of slices) {
    for (const ref of conditionColumns(s.where, ['slices', s.name, 'where'])) {
      const col = columns.find((c) => c.name === ref.column);
      const at = [...ref.path, 'column'];
      if (!col) {
        out.push({
          path: at,
          code: 'slice-unknown-column',
          message: `Slice "${s.name}" reads column "${ref.column}", which is not in the data.${suggestion(ref.column, names)} Use one of the data's columns.`,
        });
        continue;
      }
      const cls = typeClass(col.type);
      if (ref.kind === 'range' && cls !== 'integer' && cls !== 'float') {
        out.push({
          path: at,
          code: 'slice-range-type',
          message: `Slice "${s.name}" compares column "${ref.column}" (${col.type}) with a numeric range (gt / gte / lt / lte); ranges need a numeric column. Use "equals" or "in" for this column.`,
        });
      }
      if (cls === 'list')
        out.push({
          path: at,
          code: 'slice-list-column',
          message: `Slice "${s.name}" reads list column "${ref.column}" (${col.type}); slice conditions compare scalar columns only.`,
        });
    }
  }
  return out;
}
