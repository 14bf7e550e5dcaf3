/**
 * Per-item metadata for colouring and segmenting embedding views: columns from the config's `items` table,
 * popularity from the interactions log, and cold / warm / hot buckets (docs/metrics.md section 4, Segments).
 */
import * as path from 'path';
import type { MetadataColumn } from './view';
import { describeColumns, typeClass } from '../data/describe';
import { dataReadError, readExpression, sqlIdent } from '../data/duck';
import { Key, normaliseKey } from '../data/keys';
import { inputError } from '../errors';
import { suggestion } from '../util/suggest';
import type { Workspace } from '../workspace';
import { keyExpression } from '../lis/evalKeys';

export type Bucket = 'cold' | 'warm' | 'hot';
export const BUCKETS: Bucket[] = ['cold', 'warm', 'hot'];

export interface ItemMetadata {
  labels?: string[];
  columns: MetadataColumn[];
  /** Interactions per item (0 when the item never appears). */
  popularity: Float64Array;
  /** cold: at or below the median item's count; hot: above the 90th percentile; warm: between. */
  bucket: Bucket[];
}

function categoryColumn(name: string, values: (string | null)[]): MetadataColumn {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Uint16Array(values.length);
  values.forEach((v, i) => {
    const s = v ?? '(none)';
    let c = index.get(s);
    if (c === undefined) {
      c = dictionary.length;
      dictionary.push(s);
      index.set(s, c);
    }
    codes[i] = Math.min(c, 65535);
  });
  return { name, kind: 'category', codes, dictionary };
}

export function popularityBuckets(popularity: Float64Array): Bucket[] {
  const sorted = Float64Array.from(popularity).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
  const p50 = q(0.5),
    p90 = q(0.9);
  return Array.from(popularity, (c) => (c <= p50 ? 'cold' : c > p90 ? 'hot' : 'warm'));
}

export async function itemMetadata(ws: Workspace, ids: Key[]): Promise<ItemMetadata> {
  const { config, duck } = ws;
  const columns: MetadataColumn[] = [];
  let labels: string[] | undefined;
  const items = config.raw.items as { path: string; id: string; label?: string; columns?: string[] } | undefined;
  if (items) {
    const file = path.resolve(config.dir, items.path);
    const cols = await describeColumns(duck, file);
    const names = cols.map((c) => c.name);
    for (const [field, c] of [
      ['id', items.id],
      ['label', items.label],
      ...(items.columns ?? []).map((x, i) => [`columns.${i}`, x]),
    ] as [string, string | undefined][]) {
      if (c && !names.includes(c))
        throw inputError(`items.${field}: "${c}" is not a column of ${file}.${suggestion(c, names)}`, {
          file: config.file,
          path: ['items'],
        });
    }
    const wanted =
      items.columns ??
      cols
        .filter(
          (c) =>
            c.name !== items.id && c.name !== items.label && ['string', 'integer', 'float'].includes(typeClass(c.type)),
        )
        .map((c) => c.name);
    const idType = cols.find((c) => c.name === items.id)!.type;
    try {
      const r = await duck.conn.runAndReadAll(
        `SELECT ${keyExpression(items.id, idType)} AS id${items.label ? `, CAST(${sqlIdent(items.label)} AS VARCHAR) AS label` : ''}${wanted.map((c, i) => `, ${sqlIdent(c)} AS m${i}`).join('')} FROM ${readExpression(file)}`,
      );
      const rows = r.getColumns();
      const at = new Map<Key, number>();
      rows[0].forEach((v, i) => at.set(normaliseKey(v), i));
      const pick = (col: number) =>
        ids.map((id) => {
          const i = at.get(id);
          return i === undefined ? null : rows[col][i];
        });
      let next = 1;
      if (items.label) {
        labels = pick(next).map((v) => (v === null ? '' : String(v)));
        next++;
      }
      wanted.forEach((name, i) => {
        const type = cols.find((c) => c.name === name)!.type;
        const values = pick(next + i);
        if (typeClass(type) === 'string')
          columns.push(
            categoryColumn(
              name,
              values.map((v) => (v === null ? null : String(v))),
            ),
          );
        else
          columns.push({
            name,
            kind: 'number',
            values: Float32Array.from(values, (v) => (v === null ? NaN : Number(v))),
          });
      });
    } catch (e) {
      if ((e as Error).name === 'RecLensError') throw e;
      throw dataReadError(file, e);
    }
  }
  const popularity = new Float64Array(ids.length);
  const inter = config.raw.interactions as { path?: string; item?: string } | undefined;
  if (inter?.path && inter.item) {
    const file = path.resolve(config.dir, inter.path);
    try {
      const type = (await describeColumns(duck, file)).find((c) => c.name === inter.item)?.type ?? 'VARCHAR';
      const r = await duck.conn.runAndReadAll(
        `SELECT ${keyExpression(inter.item, type)} AS id, count(*)::DOUBLE AS n FROM ${readExpression(file)} GROUP BY 1`,
      );
      const [k, n] = r.getColumns();
      const counts = new Map<Key, number>();
      k.forEach((v, i) => counts.set(normaliseKey(v), Number(n[i])));
      ids.forEach((id, i) => {
        popularity[i] = counts.get(id) ?? 0;
      });
    } catch (e) {
      throw dataReadError(file, e);
    }
  }
  const bucket = popularityBuckets(popularity);
  columns.push(categoryColumn('popularity bucket', bucket));
  columns.push({ name: 'log popularity', kind: 'number', values: Float32Array.from(popularity, Math.log1p) });
  return { labels, columns, popularity, bucket };
}
