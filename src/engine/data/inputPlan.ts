/**
 * Decides how every ONNX input is built from the evaluation data: which columns (flattened list elements
 * included) or which lookup table, the per-row shape, and the DuckDB CAST that yields the input's dtype.
 * All mismatches (unknown column, wrong dtype, wrong width, unfed input) are found here, before any row is read.
 */
import type { RecLensConfig } from '../config/types';
import { inputError, RecLensError } from '../errors';
import type { OnnxValueInfo } from '../model/onnxFile';
import { closest, suggestion } from '../util/suggest';
import { arrayWidth, ColumnInfo, listElementType, TypeClass, typeClass } from './describe';
import { Duck, readExpression, sqlIdent } from './duck';
import { listWidths } from './listWidths';
import type { LookupTable } from './tables';
import { whereClause } from './whereClause';
import { shownPath } from '../util/safeFile';

export type FeedDtype = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'uint8' | 'int8';

const SQL_TYPE: Record<FeedDtype, string> = {
  float32: 'FLOAT',
  float64: 'DOUBLE',
  int64: 'BIGINT',
  int32: 'INTEGER',
  bool: 'BOOLEAN',
  uint8: 'UTINYINT',
  int8: 'TINYINT',
};

/** One column feeding part of an input: a scalar (width 1) or a list / array column (width values per row). */
export interface ColumnPart {
  index: number;
  column: string;
  width: number;
  list: boolean;
}

export type ColumnSource = { kind: 'columns'; parts: ColumnPart[]; columns: string[]; fillNull?: number };
export type TableSource = { kind: 'table'; table: LookupTable; keyIndex: number; keyColumn: string };

export interface PlannedInput {
  name: string;
  dtype: FeedDtype;
  /** Tensor dims after the batch dim. */
  dims: number[];
  /** Values per row (product of dims). */
  width: number;
  source: ColumnSource | TableSource;
  configPath: (string | number)[];
}

export interface InputPlan {
  file: string;
  fromClause: string;
  /** Flat SELECT expressions, each `expr AS alias`; index in this list = column index in each chunk. */
  select: string[];
  inputs: PlannedInput[];
  labelIndex: number;
  groupIndex?: number;
  columns: ColumnInfo[];
}

function fieldError(config: RecLensConfig, path: (string | number)[], message: string): RecLensError {
  return inputError(message, { file: config.file, path });
}

function compatible(dtype: FeedDtype, cls: TypeClass): boolean {
  if (dtype === 'float32' || dtype === 'float64') return cls === 'float' || cls === 'integer' || cls === 'boolean';
  return cls === 'integer' || cls === 'boolean';
}

export async function planInputs(
  duck: Duck,
  config: RecLensConfig,
  modelInputs: OnnxValueInfo[],
  columns: ColumnInfo[],
  tables: Record<string, LookupTable>,
  /** When given, problems are collected here and planning goes on with the next field (for diagnostics). */
  collect?: RecLensError[],
): Promise<InputPlan> {
  /** Runs one step; in collect mode a positioned problem is recorded instead of ending the plan. */
  const step = async (fn: () => Promise<void> | void): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (e) {
      if (collect && e instanceof RecLensError && e.where.path) {
        collect.push(e);
        return false;
      }
      throw e;
    }
  };
  const file = config.data.path;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const names = columns.map((c) => c.name);
  const from = readExpression(file);
  const select: string[] = [];
  const add = (expr: string) => {
    select.push(`${expr} AS c${select.length}`);
    return select.length - 1;
  };
  const column = (name: string, path: (string | number)[], what: string): ColumnInfo => {
    const c = byName.get(name);
    if (!c)
      throw inputError(
        `${what} "${name}", which is not a column of ${shownPath(file, config.dir)}.${suggestion(name, names)}`,
        { file: config.file, path, replacement: closest(name, names) },
      );
    return c;
  };

  // Label and group first.
  let labelIndex = -1;
  await step(() => {
    const label = column(config.data.label, ['data', 'label'], 'data.label names column');
    const labelCls = typeClass(label.type);
    if (labelCls !== 'integer' && labelCls !== 'float' && labelCls !== 'boolean') {
      throw fieldError(
        config,
        ['data', 'label'],
        `Label column "${label.name}" is ${label.type}; it must hold 0/1 (or true/false). Derive a binary column, e.g. rating >= 4.`,
      );
    }
    labelIndex = add(`CAST(${sqlIdent(label.name)} AS DOUBLE)`);
  });
  let groupIndex: number | undefined;
  if (config.data.group) {
    await step(() => {
      const g = column(config.data.group!, ['data', 'group'], 'data.group names column');
      const cls = typeClass(g.type);
      groupIndex = add(
        cls === 'integer' ? `CAST(${sqlIdent(g.name)} AS DOUBLE)` : `CAST(${sqlIdent(g.name)} AS VARCHAR)`,
      );
    });
  }
  for (const key of ['item', 'time'] as const) {
    const name = config.data[key];
    if (name)
      await step(() => {
        column(name, ['data', key], `data.${key} names column`);
      });
  }

  const modelNames = modelInputs.map((i) => i.name);
  for (const name of Object.keys(config.inputs)) {
    await step(() => {
      if (!modelNames.includes(name)) {
        throw inputError(
          `"inputs" has an entry for "${name}", but the model has no input of that name.${suggestion(name, modelNames)} Remove the entry or rename it.`,
          {
            file: config.file,
            path: ['inputs', name],
            replacement: closest(
              name,
              modelNames.filter((m) => !(m in config.inputs)),
            ),
          },
        );
      }
    });
  }

  const inputs: PlannedInput[] = [];
  for (const mi of modelInputs)
    await step(async () => {
      const spec = config.inputs[mi.name];
      const configPath: (string | number)[] = spec ? ['inputs', mi.name] : ['inputs'];
      const dtype = mi.dtype as FeedDtype;
      if (!(dtype in SQL_TYPE)) {
        throw fieldError(
          config,
          configPath,
          `Model input "${mi.name}" has dtype ${mi.dtype}, which RecLens cannot feed yet (supported: ${Object.keys(SQL_TYPE).join(', ')}).`,
        );
      }
      const shape = mi.shape ?? [null, null];
      if (typeof shape[0] === 'number' && shape[0] > 0) {
        throw fieldError(
          config,
          configPath,
          `Model input "${mi.name}" has a fixed batch dimension of ${shape[0]}. Export the model with a dynamic batch axis (torch.onnx.export dynamic_axes).`,
        );
      }
      const rest = shape.slice(1);
      let source: ColumnSource | TableSource;
      let dataWidth: number;
      if (!spec || spec.kind !== 'table') {
        const cols = !spec ? [mi.name] : spec.kind === 'column' ? [spec.column] : spec.columns;
        if (!spec && !byName.has(mi.name)) {
          throw inputError(
            `Model input "${mi.name}" is not fed: "inputs" has no entry for it and ${file} has no column named "${mi.name}".${suggestion(mi.name, names)} Add an entry under "inputs", e.g. "${mi.name}": { "column": "<column>" }.`,
            { file: config.file, path: ['inputs'], unfedInput: mi.name, replacement: closest(mi.name, names) },
          );
        }
        const aliases: string[] = [];
        dataWidth = 0;
        cols.forEach((colName, ci) => {
          const path = !spec
            ? ['inputs']
            : spec.kind === 'column'
              ? ['inputs', mi.name, 'column']
              : ['inputs', mi.name, 'columns', ci];
          const c = column(colName, path, `Input "${mi.name}" reads column`);
          const cls = typeClass(c.type);
          const elemCls = cls === 'list' ? typeClass(listElementType(c.type)) : cls;
          if (!compatible(dtype, elemCls)) {
            throw fieldError(
              config,
              path,
              `Column "${colName}" is ${c.type}, which cannot feed model input "${mi.name}" (${dtype}).${dtype.startsWith('int') && elemCls === 'float' ? ' The input takes integer ids: store ids as integers.' : ' Feed it from a numeric column.'}`,
            );
          }
          let width = 1;
          if (cls === 'list') {
            width = arrayWidth(c.type) ?? -1;
            if (width < 0) width = -1; // resolved below by a query
          }
          aliases.push(...(cls === 'list' ? [`LIST:${colName}:${width}`] : [colName]));
          dataWidth += width;
        });
        // Resolve variable-length list widths with one query each; lists travel as one list column.
        const parts: ColumnPart[] = [];
        dataWidth = 0;
        for (const a of aliases) {
          if (a.startsWith('LIST:')) {
            const [, colName, w] = a.split(':');
            let width = Number(w);
            if (width < 0) {
              // A scan of the whole column, so it is remembered per unchanged file (data/listWidths.ts).
              const r = await listWidths(file, colName, async () => {
                const o = (
                  await duck.conn.runAndReadAll(
                    `SELECT min(len(${sqlIdent(colName)}))::BIGINT AS lo, max(len(${sqlIdent(colName)}))::BIGINT AS hi FROM ${from}`,
                  )
                ).getRowObjects()[0];
                return { lo: Number(o.lo), hi: Number(o.hi) };
              });
              if (r.lo !== r.hi) {
                throw fieldError(
                  config,
                  configPath,
                  `List column "${colName}" (feeding "${mi.name}") has rows of different lengths (${r.lo} to ${r.hi}). Every row must hold the same number of values.`,
                );
              }
              width = r.hi;
            }
            parts.push({
              index: add(`CAST(${sqlIdent(colName)} AS ${SQL_TYPE[dtype]}[])`),
              column: colName,
              width,
              list: true,
            });
            dataWidth += width;
          } else {
            parts.push({ index: add(`CAST(${sqlIdent(a)} AS ${SQL_TYPE[dtype]})`), column: a, width: 1, list: false });
            dataWidth += 1;
          }
        }
        source = { kind: 'columns', parts, columns: cols, fillNull: spec?.fillNull };
      } else {
        const table = tables[spec.table];
        const key = column(spec.key, ['inputs', mi.name, 'key'], `Input "${mi.name}" looks up its key in column`);
        if (dtype !== 'float32' && dtype !== 'float64') {
          throw fieldError(
            config,
            ['inputs', mi.name],
            `Model input "${mi.name}" is ${dtype}, but table "${spec.table}" holds float vectors. Feed ${dtype} inputs from columns.`,
          );
        }
        const cls = typeClass(key.type);
        const keyIndex = add(
          cls === 'integer' ? `CAST(${sqlIdent(key.name)} AS DOUBLE)` : `CAST(${sqlIdent(key.name)} AS VARCHAR)`,
        );
        source = { kind: 'table', table, keyIndex, keyColumn: key.name };
        dataWidth = table.dim;
      }
      // Reconcile the data's width with the input's shape (one symbolic non-batch dim may be inferred).
      const fixed = rest.filter((d): d is number => typeof d === 'number' && d > 0);
      const symbolic = rest.length - fixed.length;
      const fixedProduct = fixed.reduce((a, b) => a * b, 1);
      let dims: number[];
      if (symbolic === 0) {
        dims = rest as number[];
        if (fixedProduct !== dataWidth) {
          const what =
            source.kind === 'table'
              ? `table "${source.table.name}" has vectors of ${dataWidth}`
              : `its column(s) give ${dataWidth} value${dataWidth === 1 ? '' : 's'}`;
          throw fieldError(
            config,
            configPath,
            `Shape mismatch for model input "${mi.name}": it expects [batch${rest.map((d) => ', ' + d).join('')}] (${fixedProduct} value${fixedProduct === 1 ? '' : 's'} per row) but ${what} per row. Map it to the right column(s) or table.`,
          );
        }
      } else if (symbolic === 1 && dataWidth % fixedProduct === 0) {
        dims = rest.map((d) => (typeof d === 'number' && d > 0 ? d : dataWidth / fixedProduct));
      } else if (mi.shape === null) {
        dims = dataWidth === 1 ? [] : [dataWidth];
      } else {
        throw fieldError(
          config,
          configPath,
          `Model input "${mi.name}" has shape [${shape.join(', ')}], which RecLens cannot fill from ${dataWidth} value(s) per row. Export the model with fixed non-batch dimensions.`,
        );
      }
      inputs.push({ name: mi.name, dtype, dims, width: dataWidth, source, configPath });
    });
  return { file, fromClause: from + whereClause(config), select, inputs, labelIndex, groupIndex, columns };
}
