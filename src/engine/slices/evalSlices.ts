/** Every slice of an evaluation: the ones in reclens.json, then the automatic ones. */
import { inputError } from '../errors';
import type { Workspace } from '../workspace';
import { AutoSliceLookups, autoSliceLookups, AutoSlices, autoSlices } from './auto';
import { configSliceMasks, SliceMask } from './membership';

export async function evalSlices(
  ws: Workspace,
  rows: number,
  only?: string[],
): Promise<{ masks: SliceMask[]; notes: string[] }> {
  const configured = await configSliceMasks(ws.duck, ws.config, ws.plan.fromClause, rows, ws.data.rows, only);
  if (only) return { masks: configured, notes: [] };
  return withAutoSlices(configured, await autoSlices(ws, rows));
}

/** The configured slices, then the automatic ones that hold rows. */
export function withAutoSlices(configured: SliceMask[], auto: AutoSlices): { masks: SliceMask[]; notes: string[] } {
  // An automatic bucket no row falls in (e.g. no hot users in a small log) says nothing: leave it out.
  return { masks: [...configured, ...auto.masks.filter((m) => m.rows.indexOf(1) !== -1)], notes: auto.notes };
}

/** The rows of one named slice (configured or automatic), for commands restricted to a slice. */
export async function sliceRows(ws: Workspace, rows: number, name: string): Promise<SliceMask> {
  const all = name.startsWith('auto:')
    ? (await autoSlices(ws, rows)).masks
    : await configSliceMasks(ws.duck, ws.config, ws.plan.fromClause, rows, ws.data.rows, [name]);
  const found = all.find((m) => m.name === name);
  if (!found) {
    const known = [
      ...(ws.config.slices ?? []).map((s) => s.name),
      ...(name.startsWith('auto:') ? all.map((m) => m.name) : []),
    ];
    throw inputError(
      `No slice named "${name}" in ${ws.config.file}${known.length ? ` (known: ${known.join(', ')}; automatic slices start with "auto:")` : '; add it under "slices", or use an automatic slice such as auto:user=new'}.`,
      { file: ws.config.file, path: ['slices'] },
    );
  }
  return found;
}

/**
 * evalSlices on a second DuckDB connection, so it can run while the scoring stream reads the first one (the masks
 * need only the row count). `stop()` interrupts the read (a failed or cancelled job), `done` settles either way.
 */
export function evalSlicesAside(
  ws: Workspace,
  rows: number,
  /**
   * The scoring stream numbers the rows' keys (evaluate.ts): the configured slices, and the automatic slices'
   * lookups (autoSliceMasks makes their masks once the keys are there).
   */
  keysFromStream = false,
): { done: Promise<{ masks: SliceMask[]; notes: string[]; lookups?: AutoSliceLookups }>; stop(): void } {
  let conn: Awaited<ReturnType<Workspace['duck']['instance']['connect']>> | undefined;
  let stopped = false;
  const done = (async () => {
    conn = await ws.duck.instance.connect();
    try {
      if (stopped) throw new Error('slices read stopped');
      const aside = { ...ws, duck: { ...ws.duck, conn } };
      if (!keysFromStream) return await evalSlices(aside, rows);
      const { duck, config, plan, data } = aside;
      const masks = await configSliceMasks(duck, config, plan.fromClause, rows, data.rows);
      return { masks, notes: [], lookups: await autoSliceLookups(aside, rows) };
    } finally {
      conn.closeSync();
    }
  })();
  done.catch(() => undefined); // awaited by the caller; a job that fails first must not leave it unhandled
  return {
    done,
    stop: () => {
      stopped = true;
      conn?.interrupt();
    },
  };
}
