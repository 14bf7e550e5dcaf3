/**
 * A job restricted to one slice's rows (`ablate --slice S`): the materialized rows are gathered down to the
 * slice, and scoring, labels, groups and segments all see only those rows.
 */
import type { FeedArray } from '../data/batches';
import type { Materialized } from '../data/materialize';
import { DecodedColumns, gatherRows } from '../data/rowCache';
import { inputError } from '../errors';
import type { JobContext } from '../job';
import { scoreBatches } from '../model/batchScorer';
import { report } from '../progress';
import { sliceRows } from './evalSlices';

export function restrictRows(mat: Materialized, index: Uint32Array): Materialized {
  // A slice is gathered into memory (it is a subset of rows already decoded, even when those were spilled).
  const memory = new Map<string, FeedArray>();
  for (const inp of mat.inputs)
    memory.set(inp.name, gatherRows(mat.columns.get(inp.name)!, inp.width, index, 0, index.length));
  return {
    ...mat,
    rows: index.length,
    columns: new DecodedColumns(mat.inputs, index.length, memory),
    labels: Uint8Array.from(index, (r) => mat.labels[r]),
    groups: mat.groups ? Int32Array.from(index, (r) => mat.groups![r]) : undefined,
  };
}

/** The job's context over one slice's rows, and the kept row indices (into the whole data) for segments. */
export async function restrictToSlice(
  ctx: JobContext,
  slice: string,
): Promise<{ ctx: JobContext; index: Uint32Array }> {
  const mask = await sliceRows(ctx.ws, ctx.mat.rows, slice);
  const idx: number[] = [];
  for (let r = 0; r < mask.rows.length; r++) if (mask.rows[r]) idx.push(r);
  if (idx.length === 0)
    throw inputError(`Slice "${slice}" holds no evaluation rows of ${ctx.config.data.path}; nothing to ablate.`, {
      file: ctx.config.file,
      path: ['slices'],
    });
  const index = Uint32Array.from(idx);
  const mat = restrictRows(ctx.mat, index);
  let positives = 0;
  for (let i = 0; i < mat.rows; i++) positives += mat.labels[i];
  if (positives === 0 || positives === mat.rows)
    throw inputError(`Slice "${slice}" has ${mat.rows} rows of one class only; AUC needs both classes.`, {
      file: ctx.config.file,
      path: ['slices'],
    });
  const restricted: JobContext = {
    ...ctx,
    mat,
    score: (phase, replace) => (
      ctx.pass(),
      scoreBatches(
        ctx.rs,
        mat.inputs,
        mat.rows,
        ctx.batchSize,
        (inp, start, end) => replace?.(inp.name, start, end) ?? mat.columns.read(inp.name, start, end),
        ctx.control,
        (done) => report(ctx.control, { phase, done, total: mat.rows }),
      )
    ),
  };
  return { ctx: restricted, index };
}
