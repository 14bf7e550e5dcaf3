/**
 * Permutations of a table-backed input (an input whose row is a lookup table's vector, found by a key column:
 * MovieLens's item_content, 128 bytes a row from a 9,742-row table) gathered from the table by the permuted rows'
 * table rows, instead of from the decoded column. Row i of the decoded column is the table row of key i (or the
 * table's fallback when the key is missing), so row perm[i] of it is the table row of key perm[i]: the same bytes,
 * read from a table that stays in the CPU's cache instead of a 128 MB column read from disk and gathered at random
 * (docs/performance.md, Round 9).
 */
import type { FeedArray } from '../data/batches';
import { dataReadError } from '../data/duck';
import { feedArray } from '../data/feedPool';
import type { PlannedInput } from '../data/inputPlan';
import type { Permuter } from '../data/rowCache';
import { LookupTable, tableRowsOfKeys } from '../data/tables';
import type { JobContext } from '../job';

/** Where a table-backed input's rows come from: the table, and each row's table row (-1: the fallback). */
export interface TableRows {
  table: LookupTable;
  rowOf: Int32Array;
}

/**
 * The table row of each of the job's rows for input `name`, from one read of its key column (the plan's own SELECT
 * expression and FROM, so the rows and their order are those the input was decoded from). Undefined when the input
 * is not a float32 table lookup, or the read gives another number of rows than the job holds (the column path
 * then permutes it). `index`: the job's rows as rows of the whole data (a slice's rows), else all of them.
 */
export async function tableRowsOf(
  whole: Pick<JobContext, 'ws' | 'mat'>,
  name: string,
  index?: Uint32Array,
): Promise<TableRows | undefined> {
  const inp = whole.ws.plan.inputs.find((i) => i.name === name);
  const decoded = whole.mat.inputs.find((i) => i.name === name);
  if (!inp || !decoded || !tableBacked(inp) || !tableBacked(decoded) || inp.source.kind !== 'table') return undefined;
  const { table, keyIndex } = inp.source;
  if (inp.width !== table.dim || decoded.width !== table.dim) return undefined;
  const rows = whole.mat.rows;
  const rowOf = new Int32Array(rows);
  const plan = whole.ws.plan;
  let r = 0;
  try {
    const result = await whole.ws.duck.conn.stream(`SELECT ${plan.select[keyIndex]} FROM ${plan.fromClause}`);
    while (r < rows) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = Math.min(chunk.rowCount, rows - r);
      tableRowsOfKeys(table, chunk.getColumnVector(0), m, rowOf, r);
      r += m;
    }
  } catch (e) {
    throw dataReadError(plan.file, e);
  }
  if (r !== rows) return undefined;
  return { table, rowOf: index ? Int32Array.from(index, (i) => rowOf[i]) : rowOf };
}

function tableBacked(inp: PlannedInput): boolean {
  return inp.source.kind === 'table' && inp.dtype === 'float32';
}

/** Tables up to this many rows get a view per row (an object each) for the gathers' copies. */
const ROW_VIEWS_MAX = 1 << 17;

/** Permutations of a table-backed input, gathered from its table (see the top of this file). */
export function tablePermuter(t: TableRows): Permuter {
  const views = rowViews(t.table);
  return {
    permuted: (perm) => ({
      read: (start, end) => gatherTableRows(t, perm, start, end, views),
      close: () => undefined,
    }),
    close: () => undefined,
  };
}

/**
 * Each table row (and, last, the fallback) as a 32-bit word view: copying a row is then one `set` between arrays of
 * one type (a plain byte copy, every bit kept), which measured ~1.5 x faster than a word loop for 32-float rows.
 * Undefined for a table too large for a view per row, or on an unaligned buffer.
 */
export function rowViews(table: LookupTable): Int32Array[] | undefined {
  if (table.rows > ROW_VIEWS_MAX || table.vectors.byteOffset % 4 !== 0 || table.fallback.byteOffset % 4 !== 0)
    return undefined;
  const w = table.dim;
  const words = new Int32Array(table.vectors.buffer, table.vectors.byteOffset, table.rows * w);
  const views = Array.from({ length: table.rows }, (_, r) => words.subarray(r * w, (r + 1) * w));
  views.push(new Int32Array(table.fallback.buffer, table.fallback.byteOffset, w));
  return views;
}

/**
 * Rows perm[start..end) of a table-backed input: output row d is the table row of job row perm[start + d], or the
 * fallback. Copied as 32-bit words (every bit kept), into a recycled feed buffer when one is free. `views`: the
 * table's rowViews (copies by `set`), else a word loop.
 */
export function gatherTableRows(
  t: TableRows,
  perm: Uint32Array,
  start: number,
  end: number,
  views?: Int32Array[],
): FeedArray {
  const { table, rowOf } = t;
  const w = table.dim;
  const out = feedArray(Float32Array, (end - start) * w);
  if (table.vectors.byteOffset % 4 !== 0) {
    // A table on an unaligned buffer (no 32-bit view of it): the rows copied as floats, as fillInput then does.
    for (let d = 0; d < end - start; d++) {
      const row = rowOf[perm[start + d]];
      out.set(row < 0 ? table.fallback : table.vectors.subarray(row * w, (row + 1) * w), d * w);
    }
    return out;
  }
  const dst = new Int32Array(out.buffer, out.byteOffset, out.length);
  if (views) {
    const fallback = views.length - 1;
    for (let d = 0, o = 0; d < end - start; d++, o += w) {
      const row = rowOf[perm[start + d]];
      dst.set(views[row < 0 ? fallback : row], o);
    }
    return out;
  }
  const src = new Int32Array(table.vectors.buffer, table.vectors.byteOffset, table.vectors.length);
  const fallback = new Int32Array(table.fallback.buffer, table.fallback.byteOffset, table.fallback.length);
  for (let d = 0, o = 0; d < end - start; d++, o += w) {
    const row = rowOf[perm[start + d]];
    if (row < 0) for (let j = 0; j < w; j++) dst[o + j] = fallback[j];
    else for (let j = 0, s = row * w; j < w; j++) dst[o + j] = src[s + j];
  }
  return out;
}
