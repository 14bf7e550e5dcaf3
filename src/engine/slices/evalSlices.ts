/** Every slice of an evaluation: the ones in reclens.json, then the automatic ones. */
import { inputError } from '../errors';
import type { Workspace } from '../workspace';
import { autoSlices } from './auto';
import { configSliceMasks, SliceMask } from './membership';

export async function evalSlices(
  ws: Workspace,
  rows: number,
  only?: string[],
): Promise<{ masks: SliceMask[]; notes: string[] }> {
  const configured = await configSliceMasks(ws.duck, ws.config, ws.plan.fromClause, rows, only);
  if (only) return { masks: configured, notes: [] };
  const auto = await autoSlices(ws, rows);
  // An automatic bucket no row falls in (e.g. no hot users in a small log) says nothing: leave it out.
  return { masks: [...configured, ...auto.masks.filter((m) => m.rows.indexOf(1) !== -1)], notes: auto.notes };
}

/** The rows of one named slice (configured or automatic), for commands restricted to a slice. */
export async function sliceRows(ws: Workspace, rows: number, name: string): Promise<SliceMask> {
  const all = name.startsWith('auto:')
    ? (await autoSlices(ws, rows)).masks
    : await configSliceMasks(ws.duck, ws.config, ws.plan.fromClause, rows, [name]);
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
