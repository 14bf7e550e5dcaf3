/**
 * Finds the label, group (user), item and time columns by name and by values: the label must be binary, ids
 * integer or text, the time numeric or a date. Also finds label-derived columns (rating when label = rating >= 4),
 * which must never feed the model.
 */
import { Duck, readExpression, sqlIdent } from '../data/duck';
import { nameTokens } from '../util/suggest';
import type { ColumnProfile } from './profile';
import type { RoleProposal } from './types';

const LABEL_NAMES = [
  'label',
  'click',
  'clicked',
  'is_click',
  'target',
  'y',
  'converted',
  'conversion',
  'purchased',
  'liked',
  'relevant',
];
const GROUP_NAMES = ['user_id', 'userid', 'user', 'uid', 'session_id', 'query_id', 'request_id', 'customer_id'];
const ITEM_NAMES = ['item_id', 'itemid', 'item', 'movie_id', 'product_id', 'doc_id', 'article_id', 'video_id', 'sku'];
const TIME_NAMES = ['timestamp', 'time', 'ts', 'event_time', 'event_timestamp', 'date', 'datetime'];
/** Names of outcomes a label is often derived from. */
const OUTCOME_NAMES = ['rating', 'score', 'stars', 'dwell', 'dwell_time', 'watch_time', 'revenue'];

const isBinary = (c: ColumnProfile) =>
  c.cls === 'boolean' || ((c.cls === 'integer' || c.cls === 'float') && c.min === 0 && c.max === 1 && c.distinct <= 3);
const isId = (c: ColumnProfile) => c.cls === 'integer' || c.cls === 'string';
const exact = (cols: ColumnProfile[], names: string[]) => {
  for (const n of names) {
    const c = cols.find((x) => x.name.toLowerCase() === n);
    if (c) return c;
  }
  return undefined;
};

function role(
  cols: ColumnProfile[],
  names: string[],
  words: string[],
  fits: (c: ColumnProfile) => boolean,
  what: string,
): RoleProposal {
  const ok = cols.filter(fits);
  const hit = exact(ok, names);
  if (hit) return { column: hit.name, confidence: 'high', reason: `named like a ${what} column`, alternatives: [] };
  const byWord = ok.filter((c) => nameTokens(c.name).some((t) => words.includes(t)));
  if (byWord.length === 1)
    return { column: byWord[0].name, confidence: 'medium', reason: `the only ${what}-like name`, alternatives: [] };
  if (byWord.length > 1)
    return { confidence: 'todo', reason: `several ${what}-like columns`, alternatives: byWord.map((c) => c.name) };
  return { confidence: 'todo', reason: `no ${what}-like column`, alternatives: [] };
}

export function detectLabel(cols: ColumnProfile[]): RoleProposal {
  const binary = cols.filter(isBinary);
  const hit = exact(binary, LABEL_NAMES);
  if (hit)
    return {
      column: hit.name,
      confidence: 'high',
      reason: 'binary, named like a label',
      alternatives: binary.filter((c) => c !== hit).map((c) => c.name),
    };
  const byWord = binary.filter((c) => nameTokens(c.name).some((t) => LABEL_NAMES.includes(t)));
  if (byWord.length === 1)
    return {
      column: byWord[0].name,
      confidence: 'medium',
      reason: 'the only binary column with a label-like name',
      alternatives: [],
    };
  if (binary.length === 1)
    return { column: binary[0].name, confidence: 'low', reason: 'the only binary (0/1) column', alternatives: [] };
  return {
    confidence: 'todo',
    reason: binary.length ? 'several binary columns and none named like a label' : 'no binary (0/1) column',
    alternatives: binary.map((c) => c.name),
  };
}

export function detectGroup(cols: ColumnProfile[]): RoleProposal {
  return role(cols, GROUP_NAMES, ['user', 'session', 'query', 'customer'], isId, 'user / group');
}

export function detectItem(cols: ColumnProfile[]): RoleProposal {
  return role(cols, ITEM_NAMES, ['item', 'movie', 'product', 'doc', 'article', 'video'], isId, 'item');
}

export function detectTime(cols: ColumnProfile[]): RoleProposal {
  const timeLike = (c: ColumnProfile) =>
    c.cls === 'integer' || c.cls === 'float' || /^(DATE|TIMESTAMP|TIME)/i.test(c.type);
  return role(cols, TIME_NAMES, ['time', 'timestamp', 'ts', 'date', 'datetime'], timeLike, 'time');
}

/**
 * Columns that are the outcome the label is made from: an outcome-like name, or a low-cardinality column each of
 * whose values always comes with the same label (about 20 rows per value at least, so chance purity is unlikely).
 */
export async function labelDerived(
  duck: Duck,
  file: string,
  cols: ColumnProfile[],
  label: string,
  rows: number,
): Promise<string[]> {
  const out: string[] = [];
  for (const c of cols) {
    if (c.name === label || c.cls === 'list' || c.cls === 'other') continue;
    if (OUTCOME_NAMES.includes(c.name.toLowerCase())) {
      out.push(c.name);
      continue;
    }
    if (c.distinct < 3 || c.distinct > 50 || rows / Math.max(1, c.distinct) < 20) continue;
    const r = (
      await duck.conn.runAndReadAll(
        `SELECT count(*)::BIGINT AS mixed FROM (SELECT ${sqlIdent(c.name)} FROM ${readExpression(file)} GROUP BY 1 HAVING count(DISTINCT ${sqlIdent(label)}) > 1)`,
      )
    ).getRowObjects()[0];
    if (Number(r.mixed) === 0) out.push(c.name);
  }
  return out;
}
