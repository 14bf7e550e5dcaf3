/**
 * Preference data P (metrics.md 3b): weighted item-item pairs, from a pairs file (left, right, weight?, time?) or
 * built with DuckDB from an interactions log (items engaged positively by the same user within a window). The
 * leaked version P_leak includes the evaluation period; the historical P_hist only pairs formed before it.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RecLensConfig } from '../config/types';
import { describeColumns } from '../data/describe';
import { dataReadError, Duck, readExpression, sqlIdent } from '../data/duck';
import { Key, normaliseKey } from '../data/keys';
import { inputError } from '../errors';
import { keyExpression, timeExpression } from './evalKeys';
import { interactionsSpec, positivesSql } from './interactions';

export interface PairWeights {
  /** Symmetric adjacency: item -> partner -> weight. */
  neighbours: Map<Key, Map<Key, number>>;
  pairs: number;
}

export interface PreferenceData {
  name: string;
  source: 'pairs' | 'interactions';
  /** Whether pairs carry a time, so the historical version could be split off. */
  timed: boolean;
  evalStart: number;
  leak: PairWeights;
  hist: PairWeights;
}

function emptyWeights(): PairWeights {
  return { neighbours: new Map(), pairs: 0 };
}

function addPair(p: PairWeights, a: Key, b: Key, w: number): void {
  if (a === b || !(w > 0)) return;
  for (const [x, y] of [[a, b], [b, a]] as const) {
    let m = p.neighbours.get(x);
    if (!m) { m = new Map(); p.neighbours.set(x, m); }
    m.set(y, (m.get(y) ?? 0) + w);
  }
  p.pairs++;
}

export async function loadPreference(duck: Duck, config: RecLensConfig, name: string, evalStart: number): Promise<PreferenceData> {
  const raw = ((config.raw.preferences ?? {}) as Record<string, Record<string, unknown>>)[name];
  const field = ['preferences', name];
  if (!raw) throw inputError(`No preference dataset "${name}" under "preferences" in ${config.file}.`, { file: config.file, path: ['preferences'] });
  const start = raw.evalStart !== undefined ? (typeof raw.evalStart === 'number' ? raw.evalStart : Date.parse(String(raw.evalStart)) / 1000) : evalStart;
  const leak = emptyWeights(), hist = emptyWeights();
  if (typeof raw.pairs === 'string') {
    const file = path.resolve(config.dir, raw.pairs);
    if (!fs.existsSync(file)) throw inputError(`Preference pairs file ${file} (preferences.${name}.pairs) does not exist.`, { file: config.file, path: [...field, 'pairs'] });
    const cols = await describeColumns(duck, file);
    const has = (c: string) => cols.find((x) => x.name === c);
    for (const c of ['left', 'right']) if (!has(c)) throw inputError(`Pairs file ${file} needs columns left, right (and optionally weight, time); it has ${cols.map((x) => x.name).join(', ')}.`, { file: config.file, path: [...field, 'pairs'] });
    const time = has('time');
    const sql = `SELECT ${keyExpression('left', has('left')!.type)}, ${keyExpression('right', has('right')!.type)}, ${has('weight') ? `CAST(${sqlIdent('weight')} AS DOUBLE)` : '1.0'}, ${time ? timeExpression('time', time.type) : 'NULL'} FROM ${readExpression(file)}`;
    try {
      const r = await duck.conn.runAndReadAll(sql);
      const [l, rr, w, t] = r.getColumns();
      for (let k = 0; k < l.length; k++) {
        const a = normaliseKey(l[k]), b = normaliseKey(rr[k]), wt = Number(w[k]);
        addPair(leak, a, b, wt);
        if (!time || Number(t[k]) < start) addPair(hist, a, b, wt);
      }
    } catch (e) {
      throw dataReadError(file, e);
    }
    return { name, source: 'pairs', timed: !!time, evalStart: start, leak, hist };
  }
  // Built from interactions: co-engaged positives of the same user within the window.
  const spec = interactionsSpec(config, { ...(config.raw.interactions as object), ...(raw.interactions ? { path: raw.interactions } : {}), ...pick(raw, ['user', 'item', 'label', 'time']) }, field);
  const window = typeof raw.window === 'number' ? raw.window : Infinity;
  const minCount = typeof raw.minCount === 'number' ? raw.minCount : 1;
  const positives = await positivesSql(duck, spec, config, field);
  const sql = `WITH p AS (${positives})
    SELECT a.i AS l, b.i AS r,
      count(*) FILTER (WHERE greatest(a.t, b.t) < ${Number.isFinite(start) ? start : "'infinity'::DOUBLE"})::DOUBLE AS w_hist, count(*)::DOUBLE AS w_leak
    FROM p a JOIN p b ON a.u = b.u AND a.i < b.i ${Number.isFinite(window) ? `AND abs(a.t - b.t) <= ${window}` : ''}
    GROUP BY 1, 2`;
  try {
    const r = await duck.conn.runAndReadAll(sql);
    const [l, rr, wh, wl] = r.getColumns();
    for (let k = 0; k < l.length; k++) {
      const a = normaliseKey(l[k]), b = normaliseKey(rr[k]);
      if (Number(wl[k]) >= minCount) addPair(leak, a, b, Number(wl[k]));
      if (Number(wh[k]) >= minCount) addPair(hist, a, b, Number(wh[k]));
    }
  } catch (e) {
    throw dataReadError(spec.path, e);
  }
  return { name, source: 'interactions', timed: true, evalStart: start, leak, hist };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
