/**
 * Automatic slices from what the engine already knows: the row's item by popularity and its user by activity
 * (cold / warm / hot, as in the ablation segments), and new vs seen users and items. "Seen" means the user or
 * item appears in the history: the config's `interactions` log before the evaluation period starts (its earliest
 * data.time), or the whole log when either side has no time column (then the note says so).
 */
import { limitClause } from '../data/limitClause';
import * as path from 'path';
import type { RecLensConfig } from '../config/types';
import { KeyIds, rowSegments } from '../ablation/segments';
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

async function newVsSeen(
  ws: Workspace,
  config: RecLensConfig,
  rows: number,
  notes: string[],
  known?: { items: KeyIds; users: KeyIds },
): Promise<SliceMask[]> {
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
  const out: SliceMask[] = [];
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
    const streamed = known?.[role === 'user' ? 'users' : 'items'];
    let isSeen: Uint8Array;
    if (streamed) isSeen = seenRows(streamed, seen);
    else {
      const keys = await evalKeyColumn(ws, evalCol, rows);
      isSeen = sharedMask(keys.length);
      for (let r = 0; r < keys.length; r++) isSeen[r] = seen.has(keys[r]) ? 1 : 0;
    }
    const [isNew] = masksByValue(isSeen, 1);
    out.push({
      name: `auto:${role}=new`,
      source: 'auto',
      description: `${role}s that are not in the history`,
      rows: isNew,
    });
    out.push({
      name: `auto:${role}=seen`,
      source: 'auto',
      description: `${role}s that are in the history`,
      rows: isSeen,
    });
  }
  return out;
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
  const notes: string[] = [];
  const masks: SliceMask[] = [];
  // The rows' user and item keys, streamed once for both the segments and new vs seen.
  const ctx = { config, ws, mat: { rows } };
  const keys =
    config.data.item && config.data.group && config.data.time
      ? (known ?? (await streamKeyIdsTyped(ctx, rows)))
      : undefined;
  const segments = await rowSegments(ctx, keys);
  if (segments.length === 0)
    notes.push('No popularity / activity slices: they need data.item, data.group and data.time.');
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
  masks.push(...(await newVsSeen(ws, config, rows, notes, keys)));
  return { masks, notes };
}
