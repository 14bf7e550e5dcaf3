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

export interface PairWeights {
  /** Symmetric adjacency: item -> partner -> weight, for pairs whose whole weight reaches the minimum count. */
  neighbours: Map<Key, Map<Key, number>>;
  /** Pairs whose weight reaches the minimum count. */
  pairs: number;
}

/** One user's own share of w(h, i) in the leaked [0] and historical [1] versions, written into `out`. */
export type OwnShare = (user: Key, h: Key, i: Key, out: Float64Array) => void;

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
  /** The row's own user's share of a pair; undefined when the data cannot be corrected for self-leakage. */
  own?: OwnShare;
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

function emptyWeights(): PairWeights {
  return { neighbours: new Map(), pairs: 0 };
}

/**
 * Keeps a pair when its whole weight reaches minCount. Leave-one-user-out only lowers a weight, so a pair below
 * minCount can never count for any row; pairs kept here are thresholded again, without the row's user, per row.
 */
function addPair(p: PairWeights, a: Key, b: Key, w: number, minCount: number): void {
  if (a === b || !(w > 0) || w < minCount) return;
  for (const [x, y] of [[a, b], [b, a]] as const) {
    let m = p.neighbours.get(x);
    if (!m) { m = new Map(); p.neighbours.set(x, m); }
    m.set(y, (m.get(y) ?? 0) + w);
  }
  p.pairs++;
}

const pairKey = (a: Key, b: Key) => (String(a) < String(b) ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export async function loadPreference(duck: Duck, config: RecLensConfig, name: string, evalStart: number, opts: PreferenceOptions = {}): Promise<PreferenceData> {
  const raw = ((config.raw.preferences ?? {}) as Record<string, Record<string, unknown>>)[name];
  const field = ['preferences', name];
  if (!raw) throw inputError(`No preference dataset "${name}" under "preferences" in ${config.file}.`, { file: config.file, path: ['preferences'] });
  const start = raw.evalStart !== undefined ? (typeof raw.evalStart === 'number' ? raw.evalStart : Date.parse(String(raw.evalStart)) / 1000) : evalStart;
  const keepRaw = !!opts.raw;
  if (typeof raw.pairs === 'string') return loadPairsFile(duck, config, name, raw, start, opts);
  // Built from interactions: co-engaged positives of the same user within the window, counted per event pair.
  const spec = interactionsSpec(config, { ...(config.raw.interactions as object), ...(raw.interactions ? { path: raw.interactions } : {}), ...pick(raw, ['user', 'item', 'label', 'time']) }, field);
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
  const leak = emptyWeights(), hist = emptyWeights();
  let events: UserEvents | undefined;
  try {
    const r = await duck.conn.runAndReadAll(sql);
    const [l, rr, wh, wl] = r.getColumns();
    for (let k = 0; k < l.length; k++) {
      const a = normaliseKey(l[k]), b = normaliseKey(rr[k]);
      addPair(leak, a, b, Number(wl[k]), minCount);
      addPair(hist, a, b, Number(wh[k]), minCount);
    }
    if (keepRaw) events = await loadUserEvents(duck, positives);
  } catch (e) {
    throw dataReadError(spec.path, e);
  }
  return { name, source: 'interactions', timed: true, evalStart: start, window, minCount, leak, hist, own: events && eventShare(events, window, start), notes: [] };
}

async function loadPairsFile(duck: Duck, config: RecLensConfig, name: string, raw: Record<string, unknown>, start: number, opts: PreferenceOptions): Promise<PreferenceData> {
  const field = ['preferences', name];
  const file = path.resolve(config.dir, raw.pairs as string);
  if (!fs.existsSync(file)) throw inputError(`Preference pairs file ${file} (preferences.${name}.pairs) does not exist.`, { file: config.file, path: [...field, 'pairs'] });
  const cols = await describeColumns(duck, file);
  const has = (c: string) => cols.find((x) => x.name === c);
  for (const c of ['left', 'right']) if (!has(c)) throw inputError(`Pairs file ${file} needs columns left, right (and optionally weight, user, time, first_time); it has ${cols.map((x) => x.name).join(', ')}.`, { file: config.file, path: [...field, 'pairs'] });
  const user = has('user'), time = has('time'), first = has('first_time');
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
    notes.push(`${name}: P_hist holds the pairs first formed before the evaluation start, with their whole-file weights (which may count later co-engagements); per-event rows (user, time) give exact historical weights.`);
  }
  const sql = `SELECT ${keyExpression('left', has('left')!.type)}, ${keyExpression('right', has('right')!.type)}, ${has('weight') ? `CAST(${sqlIdent('weight')} AS DOUBLE)` : '1.0'},
    ${splitBy ? timeExpression(splitBy, has(splitBy)!.type) : 'NULL'}, ${user ? keyExpression('user', user.type) : 'NULL'} FROM ${readExpression(file)}`;
  const leakByPair = new Map<string, [Key, Key, number, number]>();
  const ownLeak = new Map<Key, Map<string, number>>(), ownHist = new Map<Key, Map<string, number>>();
  try {
    const r = await duck.conn.runAndReadAll(sql);
    const [l, rr, w, t, u] = r.getColumns();
    for (let k = 0; k < l.length; k++) {
      const a = normaliseKey(l[k]), b = normaliseKey(rr[k]), wt = Number(w[k]);
      if (a === b || !(wt > 0)) continue;
      const key = pairKey(a, b);
      const isHist = !!splitBy && t[k] !== null && Number(t[k]) < start;
      let acc = leakByPair.get(key);
      if (!acc) { acc = [a, b, 0, 0]; leakByPair.set(key, acc); }
      acc[2] += wt;
      if (isHist) acc[3] += wt;
      if (user) {
        const who = normaliseKey(u[k]);
        addTo(ownLeak, who, key, wt);
        if (isHist) addTo(ownHist, who, key, wt);
      }
    }
  } catch (e) {
    throw dataReadError(file, e);
  }
  const leak = emptyWeights(), hist = emptyWeights();
  for (const [a, b, wl, wh] of leakByPair.values()) {
    addPair(leak, a, b, wl, minCount);
    if (splitBy) addPair(hist, a, b, wh, minCount);
  }
  const own: OwnShare | undefined = user ? (who, h, i, out) => {
    const key = pairKey(h, i);
    out[0] = ownLeak.get(who)?.get(key) ?? 0;
    out[1] = ownHist.get(who)?.get(key) ?? 0;
  } : undefined;
  return {
    name, source: 'pairs', timed: !!splitBy, histReason, evalStart: start, window: Infinity, minCount, leak, hist, own, notes,
    selfLeakReason: user ? undefined : 'the pairs file has no "user" column (one row per user and pair), so the row\'s own user cannot be taken out of w(h, i_r): its LIS may count the rows\' own labels',
  };
}

function addTo(m: Map<Key, Map<string, number>>, who: Key, key: string, w: number): void {
  let x = m.get(who);
  if (!x) { x = new Map(); m.set(who, x); }
  x.set(key, (x.get(key) ?? 0) + w);
}

/** Every user's positives sorted by (item, time), items as dense ids: one typed array pair per user. */
interface UserEvents {
  itemId: Map<Key, number>;
  users: Map<Key, { items: Int32Array; times: Float64Array }>;
}

async function loadUserEvents(duck: Duck, positives: string): Promise<UserEvents> {
  const r = await duck.conn.runAndReadAll(`${positives} ORDER BY u, i, t`);
  const [u, i, t] = r.getColumns();
  const itemId = new Map<Key, number>();
  const users = new Map<Key, { items: Int32Array; times: Float64Array }>();
  let k = 0;
  while (k < u.length) {
    const who = normaliseKey(u[k]);
    let e = k;
    while (e < u.length && normaliseKey(u[e]) === who) e++;
    const items = new Int32Array(e - k), times = new Float64Array(e - k);
    for (let j = k; j < e; j++) {
      const key = normaliseKey(i[j]);
      let id = itemId.get(key);
      if (id === undefined) { id = itemId.size; itemId.set(key, id); }
      items[j - k] = id;
      times[j - k] = Number(t[j]);
    }
    users.set(who, { items, times });
    k = e;
  }
  // DuckDB sorted by the item's key; re-sort each user's events by dense id so a binary search finds an item's run.
  for (const ev of users.values()) {
    const idx = Array.from(ev.items.keys()).sort((a, b) => ev.items[a] - ev.items[b] || ev.times[a] - ev.times[b]);
    const items = Int32Array.from(idx, (j) => ev.items[j]), times = Float64Array.from(idx, (j) => ev.times[j]);
    ev.items = items; ev.times = times;
  }
  return { itemId, users };
}

/** The range [lo, hi) of `id` in a sorted Int32Array. */
function run(items: Int32Array, id: number): [number, number] {
  let lo = 0, hi = items.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (items[m] < id) lo = m + 1; else hi = m; }
  let end = lo;
  while (end < items.length && items[end] === id) end++;
  return [lo, end];
}

/** A user's own event pairs (h, i) within the window: all of them [0], and those with both events before start [1]. */
function eventShare(ev: UserEvents, window: number, start: number): OwnShare {
  return (who, h, i, out) => {
    out[0] = 0; out[1] = 0;
    const e = ev.users.get(who);
    const ih = ev.itemId.get(h), ii = ev.itemId.get(i);
    if (!e || ih === undefined || ii === undefined || ih === ii) return;
    const [a0, a1] = run(e.items, ih), [b0, b1] = run(e.items, ii);
    for (let a = a0; a < a1; a++) for (let b = b0; b < b1; b++) {
      const ta = e.times[a], tb = e.times[b];
      if (Math.abs(ta - tb) <= window) { out[0]++; if (Math.max(ta, tb) < start) out[1]++; }
    }
  };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
