/**
 * Automatic slices from what the engine already knows: the row's item by popularity and its user by activity
 * (cold / warm / hot, as in the ablation segments), and new vs seen users and items. "Seen" means the user or
 * item appears in the history: the config's `interactions` log before the evaluation period starts (its earliest
 * data.time), or the whole log when either side has no time column (then the note says so).
 */
import { limitClause } from '../data/limitClause';
import * as path from 'path';
import { KeyIds, segmentKeyCounts, segmentsFromCounts } from '../ablation/segments';
import { describeColumns } from '../data/describe';
import { dataReadError, readExpression } from '../data/duck';
import { Key, normaliseKey } from '../data/keys';
import { keyExpression, timeExpression } from '../lis/evalKeys';
import type { Workspace } from '../workspace';
import { streamKeyIdsTyped } from './keyIds';
import type { SliceMask } from './membership';

export interface AutoSlices {
  masks: SliceMask[];
  /** Why some automatic slices are absent, or how "seen" was decided. */
  notes: string[];
}

interface InteractionsSpec {
  path?: string;
  user?: string;
  item?: string;
  time?: string;
}

/** A row mask in shared memory: eval hands it to the slice-metrics worker without a copy. */
const sharedMask = (rows: number) => new Uint8Array(new SharedArrayBuffer(rows));

/** One mask per value 0..count-1 of `of` (1 where the row has that value), in one pass over the rows. */
function masksByValue(of: ArrayLike<number>, count: number): Uint8Array[] {
  const masks = Array.from({ length: count }, () => sharedMask(of.length));
  for (let r = 0; r < of.length; r++) if (of[r] < count) masks[of[r]][r] = 1;
  return masks;
}

/** Which rows' keys are in `seen`: looked up once per distinct key, then spread to the rows by their ids. */
function seenRows(keys: KeyIds, seen: Set<Key>): Uint8Array {
  const distinct = Uint8Array.from(keys.distinct, (k) => (seen.has(k) ? 1 : 0));
  const out = sharedMask(keys.ids.length);
  for (let r = 0; r < out.length; r++) out[r] = distinct[keys.ids[r]];
  return out;
}

async function evalKeyColumn(ws: Workspace, column: string, rows: number): Promise<Key[]> {
  const type = ws.data.columns.find((c) => c.name === column)?.type;
  if (!type) return [];
  const r = await ws.duck.conn.runAndReadAll(
    `SELECT ${keyExpression(column, type)} FROM ${ws.plan.fromClause}${limitClause(rows, ws.data.rows)}`,
  );
  return r.getColumns()[0].map((v) => (v === null ? '(null)' : normaliseKey(v)));
}

/** The keys a history holds for one role (new vs seen), or, where the rows' keys are not streamed, the rows' mask. */
interface SeenLookup {
  role: 'user' | 'item';
  seen: Set<Key>;
  /** 1 where the row's key is in `seen`, read here when the rows' keys are not streamed. */
  rows?: Uint8Array;
}

/**
 * What the automatic slices read besides the rows' keys: the interactions (or evaluation rows) per item and user
 * for the segments, and the keys of the history for new vs seen, with the notes. All of it is DuckDB queries on the
 * history or aggregates, so eval runs it on its second connection while the rows are scored.
 */
export interface AutoSliceLookups {
  notes: string[];
  /** Per key, as ablation/segments.ts counts them (absent: no data.item / group / time, so no segments). */
  counts?: { item: Map<Key, number>; user: Map<Key, number> };
  seen: SeenLookup[];
}

/** The history's keys per role (new vs seen); `keyed`: the rows' keys will be given, else their column is read. */
async function seenLookups(ws: Workspace, rows: number, notes: string[], keyed: boolean): Promise<SeenLookup[]> {
  const { config } = ws;
  const inter = config.raw.interactions as InteractionsSpec | undefined;
  if (!inter?.path) {
    notes.push(
      'No new vs seen slices: reclens.json has no "interactions" section, so RecLens does not know which users and items the model saw in training. Add "interactions" (the training-period log) to get them.',
    );
    return [];
  }
  const file = path.resolve(config.dir, inter.path);
  let cols;
  try {
    cols = await describeColumns(ws.duck, file);
  } catch (e) {
    notes.push(`No new vs seen slices: ${(e as Error).message}`);
    return [];
  }
  const type = (c?: string) => (c ? cols.find((x) => x.name === c)?.type : undefined);
  let where = '';
  const evalTime = config.data.time,
    evalType = evalTime ? ws.data.columns.find((c) => c.name === evalTime)?.type : undefined;
  if (inter.time && type(inter.time) && evalTime && evalType) {
    const r = await ws.duck.conn.runAndReadAll(
      `SELECT min(${timeExpression(evalTime, evalType)}) AS t FROM ${ws.plan.fromClause}`,
    );
    const start = Number(r.getRowObjects()[0].t);
    if (Number.isFinite(start)) {
      where = ` WHERE ${timeExpression(inter.time, type(inter.time)!)} < ${start}`;
      notes.push(`"seen" = appears in ${inter.path} before the evaluation period starts (${evalTime} ${start}).`);
    }
  }
  if (!where)
    notes.push(
      `"seen" = appears anywhere in ${inter.path}: ${inter.time ? 'data.time is not set' : 'interactions.time is not set'}, so the history cannot be cut at the evaluation start and may include evaluation-period rows.`,
    );
  const out: SeenLookup[] = [];
  for (const [role, evalCol, interCol] of [
    ['user', config.data.group, inter.user],
    ['item', config.data.item, inter.item],
  ] as const) {
    if (!evalCol || !interCol || !type(interCol)) {
      notes.push(
        `No new vs seen ${role} slices: ${!evalCol ? `data.${role === 'user' ? 'group' : 'item'}` : `interactions.${role}`} is not set or not a column.`,
      );
      continue;
    }
    let seen: Set<Key>;
    try {
      const r = await ws.duck.conn.runAndReadAll(
        `SELECT DISTINCT ${keyExpression(interCol, type(interCol)!)} FROM ${readExpression(file)}${where}`,
      );
      seen = new Set(
        r
          .getColumns()[0]
          .filter((v) => v !== null)
          .map(normaliseKey),
      );
    } catch (e) {
      throw dataReadError(file, e);
    }
    if (keyed) out.push({ role, seen });
    else {
      const keys = await evalKeyColumn(ws, evalCol, rows);
      const isSeen = sharedMask(keys.length);
      for (let r = 0; r < keys.length; r++) isSeen[r] = seen.has(keys[r]) ? 1 : 0;
      out.push({ role, seen, rows: isSeen });
    }
  }
  return out;
}

/** Every DuckDB read of the automatic slices but the rows' keys (eval: while the rows are scored). */
export async function autoSliceLookups(ws: Workspace, rows: number): Promise<AutoSliceLookups> {
  const { config } = ws;
  const notes: string[] = [];
  const keyed = !!(config.data.item && config.data.group && config.data.time);
  const counts = keyed
    ? {
        item: await segmentKeyCounts(ws.config, ws.duck, 'item'),
        user: await segmentKeyCounts(ws.config, ws.duck, 'user'),
      }
    : undefined;
  if (!keyed) notes.push('No popularity / activity slices: they need data.item, data.group and data.time.');
  return { notes, counts, seen: await seenLookups(ws, rows, notes, keyed) };
}

/** The automatic slices' masks from the lookups and the rows' keys (needed when data.item, group and time are set). */
export function autoSliceMasks(look: AutoSliceLookups, keys?: { items: KeyIds; users: KeyIds }): AutoSlices {
  const masks: SliceMask[] = [];
  const segments = look.counts && keys ? segmentsFromCounts(look.counts, keys) : [];
  for (const seg of segments) {
    const slug = seg.name.replace(/\s+/g, '-');
    const byBucket = masksByValue(seg.of, seg.buckets.length);
    seg.buckets.forEach((b, k) =>
      masks.push({
        name: `auto:${slug}=${b}`,
        source: 'auto',
        description: `${seg.name} bucket ${b} (cold: at or below the median count; hot: above the 90th percentile)`,
        rows: byBucket[k],
      }),
    );
  }
  for (const { role, seen, rows } of look.seen) {
    const streamed = keys?.[role === 'user' ? 'users' : 'items'];
    const isSeen = rows ?? seenRows(streamed!, seen);
    const [isNew] = masksByValue(isSeen, 1);
    masks.push({
      name: `auto:${role}=new`,
      source: 'auto',
      description: `${role}s that are not in the history`,
      rows: isNew,
    });
    masks.push({
      name: `auto:${role}=seen`,
      source: 'auto',
      description: `${role}s that are in the history`,
      rows: isSeen,
    });
  }
  return { masks, notes: look.notes };
}

/**
 * `known`: the rows' user and item keys when the scoring stream numbered them (keyIds.ts streamedKeyIds), else
 * they are read here.
 */
export async function autoSlices(
  ws: Workspace,
  rows: number,
  known?: { items: KeyIds; users: KeyIds },
): Promise<AutoSlices> {
  const { config } = ws;
  // The rows' user and item keys, streamed once for both the segments and new vs seen.
  const keys =
    config.data.item && config.data.group && config.data.time
      ? (known ?? (await streamKeyIdsTyped({ config, ws, mat: { rows } }, rows)))
      : undefined;
  return autoSliceMasks(await autoSliceLookups(ws, rows), keys);
}
