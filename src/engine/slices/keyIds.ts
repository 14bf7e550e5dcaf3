/**
 * The evaluation rows' user and item keys as dense ids, for the automatic slices: the same rows, SQL, ids and
 * distinct keys as ablation/segments.ts streamKeyIds, but each chunk's keys are read from DuckDB's typed vector and
 * numbered through data/keys.ts DenseIds (a typed table for integer keys) instead of getItem + normaliseKey + a Map
 * lookup per row and key. That loop ran on the thread that decodes eval's batches, ~0.5-1 s CPU at 1M rows
 * (docs/performance.md, Round 7); string keys (and chunks with nulls) still take the per-row path.
 */
import type { KeyIds, SegmentSource } from '../ablation/segments';
import { describeColumns } from '../data/describe';
import { dataReadError, readExpression } from '../data/duck';
import { DenseIds, idsOfVector, KeyColumnIds } from '../data/keys';
import { applyFilter, whereClause } from '../data/whereClause';
import { inputError } from '../errors';
import { keyExpression } from '../lis/evalKeys';
import { suggestion } from '../util/suggest';
import type { Workspace } from '../workspace';

export async function streamKeyIdsTyped(ctx: SegmentSource, rows: number): Promise<{ items: KeyIds; users: KeyIds }> {
  const { config, ws } = ctx;
  const { duck } = ws;
  const cols = await describeColumns(duck, config.data.path);
  const type = (n: string) => {
    const c = cols.find((x) => x.name === n);
    if (!c)
      throw inputError(
        `Column "${n}" is not in ${config.data.path}.${suggestion(
          n,
          cols.map((x) => x.name),
        )}`,
        { file: config.file, path: ['data'] },
      );
    return c.type;
  };
  const [group, item, time] = [config.data.group!, config.data.item!, config.data.time!];
  const [groupType, itemType] = [type(group), type(item), type(time)];
  await applyFilter(
    duck,
    config,
    cols.map((c) => c.name),
  );
  const sql = `SELECT ${keyExpression(group, groupType)}, ${keyExpression(item, itemType)} FROM ${readExpression(config.data.path)}${whereClause(config)}`; // no LIMIT: see limitClause
  const userIds = new Uint32Array(rows),
    itemIds = new Uint32Array(rows);
  const users = new DenseIds(),
    items = new DenseIds();
  try {
    const result = await duck.conn.stream(sql);
    let r = 0;
    while (r < rows) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = Math.min(chunk.rowCount, rows - r);
      if (m > 0) {
        idsOfVector(chunk.getColumnVector(0), m, users, userIds, r);
        idsOfVector(chunk.getColumnVector(1), m, items, itemIds, r);
      }
      r += chunk.rowCount;
    }
  } catch (e) {
    throw dataReadError(config.data.path, e);
  }
  return { items: { distinct: items.distinct, ids: itemIds }, users: { distinct: users.distinct, ids: userIds } };
}

/** The automatic slices' user and item keys, numbered by the scoring stream as it reads its rows. */
export interface StreamedKeyIds {
  users: KeyColumnIds;
  items: KeyColumnIds;
  /** The ids once the stream has ended, as streamKeyIdsTyped gives them for the same rows. */
  keys(): { items: KeyIds; users: KeyIds };
}

/**
 * Collectors for the scoring stream (data/batches.ts streamBatches `keyColumns`) of the same keys, SQL and rows
 * as streamKeyIdsTyped, so the automatic slices need no second read of the data. Undefined where the stream cannot
 * stand in for that read: no data.item / group / time, one of them not a column (streamKeyIdsTyped's error then
 * comes from the slices' own read, as before), or a stream over other rows than it would read.
 */
export function streamedKeyIds(ws: Workspace, rows: number): StreamedKeyIds | undefined {
  const { config } = ws;
  const { group, item, time } = config.data;
  if (!group || !item || !time) return undefined;
  const type = (n: string) => ws.data.columns.find((c) => c.name === n)?.type;
  const [groupType, itemType] = [type(group), type(item)];
  if (!groupType || !itemType || !type(time)) return undefined;
  let from: string;
  try {
    from = readExpression(config.data.path) + whereClause(config);
  } catch {
    return undefined; // data.filter not compiled for this config: the slices' own read compiles it
  }
  if (ws.plan.fromClause !== from) return undefined;
  const users = new KeyColumnIds(keyExpression(group, groupType), rows),
    items = new KeyColumnIds(keyExpression(item, itemType), rows);
  return { users, items, keys: () => ({ users: users.ids, items: items.ids }) };
}
