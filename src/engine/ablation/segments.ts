/**
 * Row segments for ablation small multiples (docs/metrics.md section 4, Segments): the row's item by popularity and its
 * user by activity, each cold / warm / hot. Popularity and activity are counted in the interactions log when there
 * is one, else in the evaluation rows themselves.
 */
import * as path from 'path';
import { describeColumns } from '../data/describe';
import { dataReadError, readExpression } from '../data/duck';
import { applyFilter, whereClause } from '../data/whereClause';
import { Key, normaliseKey } from '../data/keys';
import { BUCKETS, popularityBuckets } from '../embedding/metadata';
import type { JobContext } from '../job';
import { dataColumns, keyExpression } from '../lis/evalKeys';
import { streamKeyIdsTyped } from '../slices/keyIds';

export interface RowSegments {
  name: string;
  buckets: string[];
  of: Uint8Array;
}

/** What segments read of a job: the config, the open workspace and the row count. */
export type SegmentSource = Pick<JobContext, 'config' | 'ws'> & { mat: { rows: number } };

/** Interactions per item or user key: the interactions log's when configured, else the evaluation data's. */
export async function segmentKeyCounts(
  config: SegmentSource['config'],
  duck: SegmentSource['ws']['duck'],
  role: 'item' | 'user',
): Promise<Map<Key, number>> {
  const inter = config.raw.interactions as { path?: string; user?: string; item?: string } | undefined;
  const file = inter?.path ? path.resolve(config.dir, inter.path) : config.data.path;
  const column = inter?.path ? inter[role] : role === 'item' ? config.data.item : config.data.group;
  const out = new Map<Key, number>();
  if (!column) return out;
  const type = (await describeColumns(duck, file)).find((c) => c.name === column)?.type;
  if (!type) return out;
  const r = await duck.conn.runAndReadAll(
    `SELECT ${keyExpression(column, type)} AS k, count(*)::DOUBLE AS n FROM ${readExpression(file)} GROUP BY 1`,
  );
  const [k, n] = r.getColumns();
  k.forEach((v, i) => out.set(normaliseKey(v), Number(n[i])));
  return out;
}

/** Each row's popularity bucket, item and user, from the keys' interaction counts (segmentKeyCounts). */
export function segmentsFromCounts(
  counts: { item: Map<Key, number>; user: Map<Key, number> },
  keys: { items: KeyIds; users: KeyIds },
): RowSegments[] {
  return (
    [
      ['item', 'item popularity', keys.items],
      ['user', 'user activity', keys.users],
    ] as const
  ).map(([role, name, k]) => {
    const c = counts[role];
    const bucket = popularityBuckets(Float64Array.from(k.distinct, (id) => c.get(id) ?? 0));
    const ofDistinct = Uint8Array.from(bucket, (b) => BUCKETS.indexOf(b));
    const of = new Uint8Array(k.ids.length);
    for (let r = 0; r < of.length; r++) of[r] = ofDistinct[k.ids[r]];
    return { name, buckets: BUCKETS, of };
  });
}

/**
 * Segments of the evaluation rows, or [] when the data has no item / user / time columns to place them. `known`:
 * the rows' keys when the caller already streamed them (automatic slices read them once for segments and new/seen).
 */
export async function rowSegments(
  ctx: SegmentSource,
  known?: { items: KeyIds; users: KeyIds },
): Promise<RowSegments[]> {
  const { config, mat } = ctx;
  if (!config.data.item || !config.data.group || !config.data.time) return [];
  // The typed key stream (slices/keyIds.ts): the same ids and keys as streamKeyIds below, without a getItem,
  // normaliseKey and Map lookup per row and key (at 1M rows ~0.5 s of the main thread while the baseline scored).
  const keys = known ?? (await streamKeyIdsTyped(ctx, mat.rows));
  const duck = ctx.ws.duck;
  const counts = {
    item: await segmentKeyCounts(config, duck, 'item'),
    user: await segmentKeyCounts(config, duck, 'user'),
  };
  return segmentsFromCounts(counts, keys);
}

/** Each row's key as an index into the distinct keys (first-seen order). */
export interface KeyIds {
  distinct: Key[];
  ids: Uint32Array;
}

/**
 * The evaluation rows' item and user keys (the rows and order readEvalKeys reads), streamed chunk by chunk into
 * dense ids: 8 bytes a row, where reading them whole took JavaScript arrays of every key (~0.5 GB transient at 5M
 * rows, the peak of an ablation's memory). One key at a time: the reference that slices/keyIds.ts
 * streamKeyIdsTyped (which rowSegments uses) is tested against.
 */
export async function streamKeyIds(ctx: SegmentSource, rows: number): Promise<{ items: KeyIds; users: KeyIds }> {
  const { config, ws } = ctx;
  const { duck } = ws;
  const columns = await dataColumns(duck, config);
  const [group, item, time] = [config.data.group!, config.data.item!, config.data.time!];
  const [groupType, itemType] = [columns.typeOf(group), columns.typeOf(item), columns.typeOf(time)];
  await applyFilter(duck, config, columns.names);
  const sql = `SELECT ${keyExpression(group, groupType)}, ${keyExpression(item, itemType)} FROM ${readExpression(config.data.path)}${whereClause(config)} LIMIT ${rows}`;
  const users: KeyIds = { distinct: [], ids: new Uint32Array(rows) },
    items: KeyIds = { distinct: [], ids: new Uint32Array(rows) };
  const index = [new Map<Key, number>(), new Map<Key, number>()];
  try {
    const result = await duck.conn.stream(sql);
    let r = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const [c, k] of [
        [0, users],
        [1, items],
      ] as const) {
        const v = chunk.getColumnVector(c),
          at = index[c];
        for (let i = 0; i < chunk.rowCount && r + i < rows; i++) {
          const key = normaliseKey(v.getItem(i) as never);
          let id = at.get(key);
          if (id === undefined) {
            id = k.distinct.length;
            at.set(key, id);
            k.distinct.push(key);
          }
          k.ids[r + i] = id;
        }
      }
      r += chunk.rowCount;
    }
  } catch (e) {
    throw dataReadError(config.data.path, e);
  }
  return { items, users };
}
