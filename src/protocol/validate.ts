/**
 * Host-side checks of every message a webview sends. A webview renders data from run records and configs a
 * cloned repository may have crafted, so the host treats its messages as untrusted: each is rebuilt field by field
 * from a known type, with lengths and counts bounded, or dropped. Nothing here touches vscode or the DOM.
 */
import type { EmbeddingWebviewToHost } from './embedding';
import type { ExportFormat, PanelToHost } from './results';

/** Run ids as newRunId writes them (20250101T120000Z-eval-ab12cd); never a path. */
export const RUN_ID_PATTERN = /^[0-9]{8}T[0-9]{6}Z-[a-z]{1,16}-[a-z0-9]{1,16}$/;

const MAX_NAME = 200;
const MAX_LIST = 1000;
const MAX_IDS = 1_000_000;
/** Exported charts and tables: generous for a PNG of a large chart, small next to the host's memory. */
export const MAX_EXPORT_BYTES = 64 * 2 ** 20;
const FORMATS: ExportFormat[] = ['svg', 'png', 'csv'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const name = (v: unknown, max = MAX_NAME): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const names = (v: unknown, max = MAX_LIST): v is string[] =>
  Array.isArray(v) && v.length <= max && v.every((x) => name(x));

/** A request's number (PanelRequest.messageId): absent, or a non-negative safe integer. */
const MAX_MESSAGE_ID = Number.MAX_SAFE_INTEGER;
function messageId(raw: Obj): { messageId?: number } | undefined {
  if (raw.messageId === undefined) return {};
  const id = raw.messageId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 && id <= MAX_MESSAGE_ID
    ? { messageId: id }
    : undefined;
}

export function isRunId(v: unknown): v is string {
  return typeof v === 'string' && RUN_ID_PATTERN.test(v);
}

/** A file name offered in a save dialog: a plain name (folder separators replaced) ending in the format's extension. */
function exportName(v: unknown, format: ExportFormat): string | undefined {
  if (!name(v)) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not keep
  const plain = v.replace(/[\\/\0-\x1f]/g, '_').replace(/^\.+/, '');
  if (!plain) return undefined;
  return plain.toLowerCase().endsWith(`.${format}`) ? plain : `${plain}.${format}`;
}

/** Bytes of a PNG export: a Uint8Array, or (older hosts) an index-keyed object of byte values. */
function exportBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v.length <= MAX_EXPORT_BYTES ? v : undefined;
  if (!isObj(v)) return undefined;
  const values = Object.values(v);
  if (
    values.length > MAX_EXPORT_BYTES ||
    !values.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)
  )
    return undefined;
  return Uint8Array.from(values as number[]);
}

/** The Feature Impact / LIS / Run panels' message, rebuilt from `raw`, or undefined when it is not a valid one. */
export function parsePanelMessage(raw: unknown): PanelToHost | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'runLis':
      return { type: raw.type };
    case 'compareWith': {
      const id = messageId(raw);
      return id ? { type: 'compareWith', ...id } : undefined;
    }
    case 'revealSlot':
      return name(raw.slot) ? { type: 'revealSlot', slot: raw.slot } : undefined;
    case 'runAblation':
      return names(raw.slots) && raw.slots.length > 0 && typeof raw.together === 'boolean'
        ? { type: 'runAblation', slots: [...raw.slots], together: raw.together }
        : undefined;
    case 'runCeiling':
      return names(raw.slots) && raw.slots.length > 0 ? { type: 'runCeiling', slots: [...raw.slots] } : undefined;
    case 'openRecord':
      return isRunId(raw.runId) ? { type: 'openRecord', runId: raw.runId } : undefined;
    case 'export': {
      const id = messageId(raw);
      if (!id) return undefined;
      const format = raw.format as ExportFormat;
      if (!FORMATS.includes(format)) return undefined;
      const suggestedName = exportName(raw.suggestedName, format);
      if (!suggestedName) return undefined;
      if (format === 'png') {
        const bytes = exportBytes(raw.bytes);
        return bytes ? { type: 'export', ...id, format, suggestedName, bytes } : undefined;
      }
      return typeof raw.text === 'string' && raw.text.length <= MAX_EXPORT_BYTES
        ? { type: 'export', ...id, format, suggestedName, text: raw.text }
        : undefined;
    }
  }
  return undefined;
}

/** The Embedding Space panel's message, rebuilt from `raw`, or undefined when it is not a valid one. */
export function parseEmbeddingMessage(raw: unknown): EmbeddingWebviewToHost | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openItem':
      return name(raw.table) && name(raw.id, 1000) ? { type: 'openItem', table: raw.table, id: raw.id } : undefined;
    case 'selection':
      return name(raw.table) &&
        Array.isArray(raw.ids) &&
        raw.ids.length <= MAX_IDS &&
        raw.ids.every((x) => typeof x === 'string' && x.length <= 1000)
        ? { type: 'selection', table: raw.table, ids: raw.ids as string[] }
        : undefined;
  }
  return undefined;
}

/** Text for HTML: & < > " ' escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
