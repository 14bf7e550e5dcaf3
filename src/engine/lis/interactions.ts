/** The interactions log: each user's positive items in time order, for histories H(r) and co-engagement pairs. */
import * as path from 'path';
import type { RecLensConfig } from '../config/types';
import { describeColumns } from '../data/describe';
import { dataReadError, Duck, readExpression, sqlIdent } from '../data/duck';
import { Key, normaliseKey } from '../data/keys';
import { inputError } from '../errors';
import { suggestion } from '../util/suggest';
import { keyExpression, timeExpression } from './evalKeys';

export interface InteractionsSpec {
  path: string;
  user: string;
  item: string;
  label: string;
  time: string;
}

export interface UserHistory {
  times: Float64Array;
  items: Key[];
}

export function interactionsSpec(
  config: RecLensConfig,
  raw: Record<string, unknown> | undefined,
  field: (string | number)[],
): InteractionsSpec {
  const r = (raw ?? {}) as Partial<InteractionsSpec>;
  const missing = (['path', 'user', 'item', 'label', 'time'] as const).filter((k) => !r[k]);
  if (missing.length) {
    throw inputError(
      `${field.join('.')} needs ${missing.join(', ')} (the interactions file and its user, item, label and time columns).`,
      { file: config.file, path: field },
    );
  }
  return { ...(r as InteractionsSpec), path: path.resolve(config.dir, r.path!) };
}

/** A SELECT over the interactions' positives with normalised columns u, i, t. */
export async function positivesSql(
  duck: Duck,
  spec: InteractionsSpec,
  config: RecLensConfig,
  field: (string | number)[],
): Promise<string> {
  const cols = await describeColumns(duck, spec.path);
  const type = (k: 'user' | 'item' | 'label' | 'time') => {
    const c = cols.find((x) => x.name === spec[k]);
    if (!c)
      throw inputError(
        `Interactions column "${spec[k]}" (${field.join('.')}.${k}) is not in ${spec.path}.${suggestion(
          spec[k],
          cols.map((x) => x.name),
        )}`,
        { file: config.file, path: [...field, k] },
      );
    return c.type;
  };
  return `SELECT ${keyExpression(spec.user, type('user'))} AS u, ${keyExpression(spec.item, type('item'))} AS i, ${timeExpression(spec.time, type('time'))} AS t
    FROM ${readExpression(spec.path)} WHERE CAST(${sqlIdent(spec.label)} AS DOUBLE) > 0`;
}

export async function loadHistories(
  duck: Duck,
  spec: InteractionsSpec,
  config: RecLensConfig,
): Promise<Map<Key, UserHistory>> {
  const sql = `${await positivesSql(duck, spec, config, ['interactions'])} ORDER BY u, t`;
  try {
    const r = await duck.conn.runAndReadAll(sql);
    const [u, i, t] = r.getColumns();
    const out = new Map<Key, { times: number[]; items: Key[] }>();
    for (let k = 0; k < u.length; k++) {
      const user = normaliseKey(u[k]);
      let h = out.get(user);
      if (!h) {
        h = { times: [], items: [] };
        out.set(user, h);
      }
      h.times.push(Number(t[k]));
      h.items.push(normaliseKey(i[k]));
    }
    return new Map([...out].map(([k, h]) => [k, { times: Float64Array.from(h.times), items: h.items }]));
  } catch (e) {
    if ((e as Error).name === 'RecLensError') throw e;
    throw dataReadError(spec.path, e);
  }
}

/** Number of the user's positives strictly before time t (binary search): H(r) is items[0..count). */
export function historyLength(h: UserHistory | undefined, t: number): number {
  if (!h) return 0;
  let lo = 0,
    hi = h.times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (h.times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
