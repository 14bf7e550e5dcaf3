/**
 * Preference data P (docs/metrics.md 3b): weighted item-item pairs, from a pairs file (left, right, weight?, user?,
 * time?, first_time?) or built with DuckDB from an interactions log (items engaged positively by the same user
 * within a window). The leaked version P_leak includes the evaluation period; the historical P_hist only events
 * before it. Each dataset also says how to take one user's own contribution out of a pair (leave-one-user-out),
 * or that it cannot.
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
import { ItemIds, neighbourMap, PairStore, thresholded } from './pairStore';

export interface PairWeights {
  /** Symmetric adjacency: item -> partner -> weight, for pairs whose whole weight reaches the minimum count. */
  neighbours: Map<Key, Map<Key, number>>;
  /** Pairs whose weight reaches the minimum count. */
  pairs: number;
}

/** A user's own positives (interactions) or own pair rows (pairs file), for leave-one-user-out subtraction. */
export type OwnData =
  | { kind: 'events'; users: Map<Key, { items: Int32Array; times: Float64Array }>; window: number; start: number }
  | { kind: 'pairs'; users: Map<Key, { pair: Int32Array; leak: Float64Array; hist: Float64Array }> };

export interface PreferenceData {
  name: string;
  source: 'pairs' | 'interactions';
  /** Whether a historical version exists (pairs formed from events before the evaluation start). */
  timed: boolean;
  /** Why there is no historical version (when `timed` is false). */
  histReason?: string;
  evalStart: number;
  /** Co-engagement window (interactions only; Infinity = none). */
  window: number;
  /** A pair counts when its weight (without the row's own user) reaches this; 0 = any positive weight. */
  minCount: number;
  leak: PairWeights;
  hist: PairWeights;
  /** Item ids of `store`. */
  items: ItemIds;
  /** Every pair with its whole leaked and historical weights (before minCount). */
  store: PairStore;
  /** Per pair of `store`: the weight it counts with in P_leak / P_hist (0 below minCount). */
  leakWeights: Float64Array;
  histWeights: Float64Array;
  /** The row's own user's share of a pair; undefined when the data cannot be corrected for self-leakage. */
  own?: OwnData;
  /** Why the data cannot be corrected for self-leakage (when `own` is undefined). */
  selfLeakReason?: string;
  /** Caveats about how P_hist was split (e.g. first-time split with whole-period weights). */
  notes: string[];
}

export interface PreferenceOptions {
  /** Also load each user's own share of the pairs (leave-one-user-out); LIS needs it, alignment does not. */
  raw?: boolean;
  /** Override the dataset's window / minCount (the sensitivity sweep). */
  window?: number;
  minCount?: number;
}

/**
 * The pairs whose whole weight reaches minCount. Leave-one-user-out only lowers a weight, so a pair below minCount
 * can never count for any row; pairs kept here are thresholded again, without the row's user, per row. The
 * adjacency map is built only when asked for (alignment, substitution); LIS reads the typed store.
 */
function weightsOf(
  store: PairStore,
  w: Float64Array,
  items: ItemIds,
  minCount: number,
): { p: PairWeights; weights: Float64Array } {
  const { weights, pairs } = thresholded(w, store.size, minCount);
  let map: Map<Key, Map<Key, number>> | undefined;
  return {
    p: {
      pairs,
      get neighbours() {
        return (map ??= neighbourMap(store, weights, items));
      },
    },
    weights,
  };
}

/** P_leak and P_hist of a filled store. */
function bothWeights(
  store: PairStore,
  items: ItemIds,
  minCount: number,
): Pick<PreferenceData, 'leak' | 'hist' | 'leakWeights' | 'histWeights' | 'store' | 'items'> {
  const l = weightsOf(store, store.wLeak, items, minCount),
    h = weightsOf(store, store.wHist, items, minCount);
  return { leak: l.p, hist: h.p, leakWeights: l.weights, histWeights: h.weights, store, items };
}

export async function loadPreference(
  duck: Duck,
  config: RecLensConfig,
  name: string,
  evalStart: number,
  opts: PreferenceOptions = {},
): Promise<PreferenceData> {
  const raw = ((config.raw.preferences ?? {}) as Record<string, Record<string, unknown>>)[name];
  const field = ['preferences', name];
  if (!raw)
    throw inputError(`No preference dataset "${name}" under "preferences" in ${config.file}.`, {
      file: config.file,
      path: ['preferences'],
    });
  const start =
    raw.evalStart !== undefined
      ? typeof raw.evalStart === 'number'
        ? raw.evalStart
        : Date.parse(String(raw.evalStart)) / 1000
      : evalStart;
  const keepRaw = !!opts.raw;
  if (typeof raw.pairs === 'string') return loadPairsFile(duck, config, name, raw, start, opts);
  // Built from interactions: co-engaged positives of the same user within the window, counted per event pair.
  const spec = interactionsSpec(
    config,
    {
      ...(config.raw.interactions as object),
      ...(raw.interactions ? { path: raw.interactions } : {}),
      ...pick(raw, ['user', 'item', 'label', 'time']),
    },
    field,
  );
  const window = opts.window ?? (typeof raw.window === 'number' ? raw.window : Infinity);
  const minCount = opts.minCount ?? (typeof raw.minCount === 'number' ? raw.minCount : 1);
  const positives = await positivesSql(duck, spec, config, field);
  const startSql = Number.isFinite(start) ? String(start) : "'infinity'::DOUBLE";
  // P_hist counts event pairs whose two events are both before the start: formed before it, whatever came later.
  const sql = `WITH p AS (${positives})
    SELECT a.i AS l, b.i AS r,
      count(*) FILTER (WHERE greatest(a.t, b.t) < ${startSql})::DOUBLE AS w_hist, count(*)::DOUBLE AS w_leak
    FROM p a JOIN p b ON a.u = b.u AND a.i < b.i ${Number.isFinite(window) ? `AND abs(a.t - b.t) <= ${window}` : ''}
    GROUP BY 1, 2${minCount > 1 ? ` HAVING count(*) >= ${Number(minCount)}` : ''}`;
  const items = new ItemIds();
  let store: PairStore;
  let events: OwnData | undefined;
  try {
    const r = await duck.conn.runAndReadAll(sql);
    const [l, rr, wh, wl] = r.getColumns();
    store = new PairStore(l.length);
    for (let k = 0; k < l.length; k++) {
      const a = items.id(normaliseKey(l[k])),
        b = items.id(normaliseKey(rr[k]));
      if (a === b) continue;
      const pair = store.add(a, b);
      store.wLeak[pair] += Number(wl[k]);
      store.wHist[pair] += Number(wh[k]);
    }
    if (keepRaw) events = await loadUserEvents(duck, positives, items, window, start);
  } catch (e) {
    throw dataReadError(spec.path, e);
  }
  return {
    name,
    source: 'interactions',
    timed: true,
    evalStart: start,
    window,
    minCount,
    ...bothWeights(store, items, minCount),
    own: events,
    notes: [],
  };
}

async function loadPairsFile(
  duck: Duck,
  config: RecLensConfig,
  name: string,
  raw: Record<string, unknown>,
  start: number,
  opts: PreferenceOptions,
): Promise<PreferenceData> {
  const field = ['preferences', name];
  const file = path.resolve(config.dir, raw.pairs as string);
  if (!fs.existsSync(file))
    throw inputError(`Preference pairs file ${file} (preferences.${name}.pairs) does not exist.`, {
      file: config.file,
      path: [...field, 'pairs'],
    });
  const cols = await describeColumns(duck, file);
  const has = (c: string) => cols.find((x) => x.name === c);
  for (const c of ['left', 'right'])
    if (!has(c))
      throw inputError(
        `Pairs file ${file} needs columns left, right (and optionally weight, user, time, first_time); it has ${cols.map((x) => x.name).join(', ')}.`,
        { file: config.file, path: [...field, 'pairs'] },
      );
  const user = has('user'),
    time = has('time'),
    first = has('first_time');
  const minCount = opts.minCount ?? (typeof raw.minCount === 'number' ? raw.minCount : 0);
  const notes: string[] = [];
  // Which column splits off the historical pairs: per-event rows (user + time), else a first-time column.
  const splitBy = user && time ? 'time' : first ? 'first_time' : undefined;
  let histReason: string | undefined;
  if (!splitBy) {
    histReason = time
      ? `its "time" column gives one time per aggregated pair, and choosing past pairs by it would use the future (a pair seen last during the evaluation may have formed long before); add a "first_time" column, or one row per user and event (user, time)`
      : 'its pairs carry no time; add a "first_time" column, or one row per user and event (user, time)';
  } else if (splitBy === 'first_time' && !user) {
    notes.push(
      `${name}: P_hist holds the pairs first formed before the evaluation start, with their whole-file weights (which may count later co-engagements); per-event rows (user, time) give exact historical weights.`,
    );
  }
  const sql = `SELECT ${keyExpression('left', has('left')!.type)}, ${keyExpression('right', has('right')!.type)}, ${has('weight') ? `CAST(${sqlIdent('weight')} AS DOUBLE)` : '1.0'},
    ${splitBy ? timeExpression(splitBy, has(splitBy)!.type) : 'NULL'}, ${user ? keyExpression('user', user.type) : 'NULL'} FROM ${readExpression(file)}`;
  const items = new ItemIds();
  let store: PairStore;
  // Each user's own pair rows in file order (pair index, leaked and historical weight), for leave-one-user-out.
  const ownRows = new Map<Key, { pair: number[]; leak: number[]; hist: number[] }>();
  try {
    const r = await duck.conn.runAndReadAll(sql);
    const [l, rr, w, t, u] = r.getColumns();
    store = new PairStore(l.length);
    for (let k = 0; k < l.length; k++) {
      const a = normaliseKey(l[k]),
        b = normaliseKey(rr[k]),
        wt = Number(w[k]);
      if (a === b || !(wt > 0)) continue;
      const pair = store.add(items.id(a), items.id(b));
      const isHist = !!splitBy && t[k] !== null && Number(t[k]) < start;
      store.wLeak[pair] += wt;
      if (isHist) store.wHist[pair] += wt;
      if (user) {
        const who = normaliseKey(u[k]);
        let o = ownRows.get(who);
        if (!o) {
          o = { pair: [], leak: [], hist: [] };
          ownRows.set(who, o);
        }
        o.pair.push(pair);
        o.leak.push(wt);
        o.hist.push(isHist ? wt : 0);
      }
    }
  } catch (e) {
    throw dataReadError(file, e);
  }
  const own: OwnData | undefined = user
    ? {
        kind: 'pairs',
        users: new Map(
          [...ownRows].map(([who, o]) => [
            who,
            { pair: Int32Array.from(o.pair), leak: Float64Array.from(o.leak), hist: Float64Array.from(o.hist) },
          ]),
        ),
      }
    : undefined;
  return {
    name,
    source: 'pairs',
    timed: !!splitBy,
    histReason,
    evalStart: start,
    window: Infinity,
    minCount,
    ...bothWeights(store, items, minCount),
    own,
    notes,
    selfLeakReason: user
      ? undefined
      : 'the pairs file has no "user" column (one row per user and pair), so the row\'s own user cannot be taken out of w(h, i_r): its LIS may count the rows\' own labels',
  };
}

/**
 * Every user's positives sorted by (item id, time), items as ids of the pair store (added when new): a user's
 * events of one item form a run, so their own event pairs (h, i) can be counted and subtracted.
 */
async function loadUserEvents(
  duck: Duck,
  positives: string,
  items: ItemIds,
  window: number,
  start: number,
): Promise<OwnData> {
  const r = await duck.conn.runAndReadAll(`${positives} ORDER BY u, t`);
  const [u, i, t] = r.getColumns();
  const users = new Map<Key, { items: Int32Array; times: Float64Array }>();
  let k = 0;
  while (k < u.length) {
    const who = normaliseKey(u[k]);
    let e = k;
    while (e < u.length && normaliseKey(u[e]) === who) e++;
    const ids = new Int32Array(e - k),
      times = new Float64Array(e - k);
    for (let j = k; j < e; j++) {
      ids[j - k] = items.id(normaliseKey(i[j]));
      times[j - k] = Number(t[j]);
    }
    const idx = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b] || times[a] - times[b]);
    users.set(who, { items: Int32Array.from(idx, (j) => ids[j]), times: Float64Array.from(idx, (j) => times[j]) });
    k = e;
  }
  return { kind: 'events', users, window, start };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
