/**
 * Typed messages of the Rows explorer panel (rows ranked by how wrong the model is, and the row What-If).
 * The host keeps every row; the webview asks for pages and single-row work by request id. The host validates
 * every message from the webview with isRowsToHost before acting on it.
 */
import type {
  FlipResult,
  OcclusionResult,
  RowEdit,
  RowPage,
  RowQuery,
  RowSort,
  RowView,
  SlotDetail,
} from '../engine/rows/types';
// Re-exported so that the webview imports only src/protocol.
export type { FlipResult, OcclusionResult, RowEdit, RowPage, RowQuery, RowSort, RowView, SlotDetail };

export interface RowsInfo {
  title: string;
  configFile: string;
  rows: number;
  slots: { name: string; description?: string }[];
  /** Configured slices, then the automatic ones the data allows. */
  slices: string[];
  measure: string;
  threshold: number;
  /** Counterfactual sets saved for this config. */
  counterfactuals: string[];
  /** A query to start with (from a link: a slice, an item search, or a slot to sort by). */
  initialQuery?: Partial<RowQuery>;
}

export interface RowDetail {
  view: RowView;
  edits: RowEdit[];
  slots: SlotDetail[];
  /** Probability and raw score of the row with the edits. */
  prob: number;
  score: number;
  /** Occlusion of the unedited row (the waterfall). */
  occlusion: OcclusionResult;
}

export type HostToRows =
  | { type: 'init'; info: RowsInfo }
  | { type: 'page'; requestId: number; page: RowPage }
  | { type: 'detail'; requestId: number; detail: RowDetail }
  | {
      type: 'scored';
      requestId: number;
      index: number;
      edits: RowEdit[];
      prob: number;
      score: number;
      slots: SlotDetail[];
      millis: number;
    }
  | { type: 'flip'; requestId: number; result: FlipResult }
  | { type: 'items'; requestId: number; items: { item: string; label: string | null; row: number }[] }
  | { type: 'userRow'; requestId: number; user: string; row: number | null }
  | { type: 'saved'; name: string; file: string; counterfactuals: string[] }
  | {
      type: 'rescored';
      name: string;
      modelChanged: boolean;
      rows: { index: number; prob: number; now: number | null; stale?: string }[];
    }
  | { type: 'progress'; message: string | null }
  | { type: 'error'; requestId?: number; message: string };

export type RowsToHost =
  | { type: 'ready' }
  | { type: 'page'; requestId: number; query: RowQuery }
  | { type: 'select'; requestId: number; index: number; edits: RowEdit[] }
  | { type: 'score'; requestId: number; index: number; edits: RowEdit[] }
  | { type: 'flip'; requestId: number; index: number; edits: RowEdit[] }
  | { type: 'searchItems'; requestId: number; text: string }
  | { type: 'userRow'; requestId: number; user: string }
  | { type: 'saveCounterfactuals'; name: string; rows: { index: number; edits: RowEdit[] }[] }
  | { type: 'rescore'; name: string }
  | { type: 'revealSlot'; slot: string };

const SORTS: RowSort[] = ['loss', 'score', 'label', 'row', 'slot'];
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32;
const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max;
const isName = (v: unknown): v is string => isText(v, 200) && v.length > 0;

export function isRowEdit(v: unknown): v is RowEdit {
  if (!isObj(v)) return false;
  if (v.kind === 'fromRow') return isName(v.slot) && isIndex(v.source);
  if (v.kind === 'value')
    return isName(v.input) && isIndex(v.offset) && typeof v.value === 'number' && Number.isFinite(v.value);
  return false;
}

const isEdits = (v: unknown): v is RowEdit[] => Array.isArray(v) && v.length <= 256 && v.every(isRowEdit);

export function isRowQuery(v: unknown): v is RowQuery {
  return (
    isObj(v) &&
    SORTS.includes(v.sort as RowSort) &&
    typeof v.descending === 'boolean' &&
    isIndex(v.offset) &&
    isIndex(v.limit) &&
    v.limit <= 500 &&
    (v.slice === undefined || isName(v.slice)) &&
    (v.search === undefined || isText(v.search)) &&
    (v.slot === undefined || isName(v.slot)) &&
    (v.item === undefined || isName(v.item))
  );
}

/** The host's guard: anything else from the webview is dropped. */
export function isRowsToHost(v: unknown): v is RowsToHost {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'page':
      return isIndex(v.requestId) && isRowQuery(v.query);
    case 'select':
    case 'score':
    case 'flip':
      return isIndex(v.requestId) && isIndex(v.index) && isEdits(v.edits);
    case 'searchItems':
      return isIndex(v.requestId) && isText(v.text);
    case 'userRow':
      return isIndex(v.requestId) && isName(v.user);
    case 'saveCounterfactuals':
      return (
        isText(v.name, 64) &&
        Array.isArray(v.rows) &&
        v.rows.length <= 1000 &&
        v.rows.every((r) => isObj(r) && isIndex(r.index) && isEdits(r.edits))
      );
    case 'rescore':
      return isText(v.name, 64);
    case 'revealSlot':
      return isName(v.slot);
    default:
      return false;
  }
}

const HOST_TYPES = [
  'init',
  'page',
  'detail',
  'scored',
  'flip',
  'items',
  'userRow',
  'saved',
  'rescored',
  'progress',
  'error',
];

/** The webview's guard (the host is trusted, but messages from an older build are dropped). */
export function isHostToRows(v: unknown): v is HostToRows {
  return isObj(v) && HOST_TYPES.includes(v.type as string);
}
