/**
 * Row segments for ablation small multiples (docs/metrics.md section 4, Segments): the row's item by popularity and its
 * user by activity, each cold / warm / hot. Popularity and activity are counted in the interactions log when there
 * is one, else in the evaluation rows themselves.
 */
import * as path from 'path';
import { describeColumns } from '../data/describe';
import { readExpression } from '../data/duck';
import { Key, normaliseKey } from '../data/keys';
import { BUCKETS, popularityBuckets } from '../embedding/metadata';
import type { JobContext } from '../job';
import { keyExpression, readEvalKeys } from '../lis/evalKeys';

export interface RowSegments {
  name: string;
  buckets: string[];
  of: Uint8Array;
}

/** What segments read of a job: the config, the open workspace and the row count. */
export type SegmentSource = Pick<JobContext, 'config' | 'ws'> & { mat: { rows: number } };

async function counts(ctx: SegmentSource, role: 'item' | 'user'): Promise<Map<Key, number>> {
  const { config, ws } = ctx;
  const inter = config.raw.interactions as { path?: string; user?: string; item?: string } | undefined;
  const file = inter?.path ? path.resolve(config.dir, inter.path) : config.data.path;
  const column = inter?.path ? inter[role] : role === 'item' ? config.data.item : config.data.group;
  const out = new Map<Key, number>();
  if (!column) return out;
  const type = (await describeColumns(ws.duck, file)).find((c) => c.name === column)?.type;
  if (!type) return out;
  const r = await ws.duck.conn.runAndReadAll(`SELECT ${keyExpression(column, type)} AS k, count(*)::DOUBLE AS n FROM ${readExpression(file)} GROUP BY 1`);
  const [k, n] = r.getColumns();
  k.forEach((v, i) => out.set(normaliseKey(v), Number(n[i])));
  return out;
}

/** Segments of the evaluation rows, or [] when the data has no item / user / time columns to place them. */
export async function rowSegments(ctx: SegmentSource): Promise<RowSegments[]> {
  const { config, mat } = ctx;
  if (!config.data.item || !config.data.group || !config.data.time) return [];
  const keys = await readEvalKeys(ctx.ws.duck, config, mat.rows, 'Segments');
  const out: RowSegments[] = [];
  for (const [role, name, ids] of [['item', 'item popularity', keys.items], ['user', 'user activity', keys.users]] as const) {
    const c = await counts(ctx, role);
    const distinct = [...new Set(ids)];
    const bucket = popularityBuckets(Float64Array.from(distinct, (id) => c.get(id) ?? 0));
    const of = new Map(distinct.map((id, i) => [id, BUCKETS.indexOf(bucket[i])]));
    out.push({ name, buckets: BUCKETS, of: Uint8Array.from(ids, (id) => of.get(id)!) });
  }
  return out;
}
