/**
 * What the model cache (`.reclens/model-cache` beside a config, see modelCache.ts) holds, and its size bound: after a
 * job saves or uses a model's graph, the least recently used models' entries are removed until the rest fit in
 * `reclens.modelCacheMaxMB` (the CLI's --model-cache-max-mb). Never the entry the job has just used, nor one a job of
 * this process is loading (util/cacheHolds.ts). An entry is every file of one model file: its saved graph
 * (`model-<id>-<key>.ort`), its hash memo (`model-<id>.json`) and the model's path (`model-<id>.name`, for listings).
 *
 * No symbolic link is followed (util/ownedFolder.ts folderRefusal): nothing is listed or removed behind a link.
 */
import * as fs from 'fs';
import * as path from 'path';
import { heldEntriesIn } from '../util/cacheHolds';
import { diskBound } from '../util/diskBound';
import { folderRefusal } from '../util/ownedFolder';

const LEVELS = ['.reclens', 'model-cache'];

/**
 * The default bound, in MiB: as for the row cache, no more disk than the largest model RecLens reads by default
 * (reclens.maxFileSizeMB). One entry is about its model's size (the 209 MB bench ranker: 209 MB), so this keeps the
 * graphs of a dozen or more models of that size.
 */
export const DEFAULT_MODEL_CACHE_MAX_MB = 4096;
/** Set from `reclens.modelCacheMaxMB` and --model-cache-max-mb; 0 keeps only the entry just used. */
export const modelCacheBound = diskBound(DEFAULT_MODEL_CACHE_MAX_MB);

/** One model's entry. */
export interface ModelCacheEntry {
  /** The cache's id of the model file (a hash of its path). */
  id: string;
  /** The model file, as the job that saved or last used the graph named it; undefined when not recorded. */
  model?: string;
  /** The entry's files (names in the folder). */
  files: string[];
  bytes: number;
  /** When a job last saved or used its graph (ms since the epoch). */
  usedMs: number;
}

export interface ModelCacheContents {
  /** `<config folder>/.reclens/model-cache`. */
  dir: string;
  /** Most recently used first. */
  entries: ModelCacheEntry[];
  files: number;
  bytes: number;
  /** Why the folder is not a cache RecLens may read (a symbolic link or a file at some level). */
  refused?: string;
}

/** `model-<id>` then `-<key>.ort`, `.json` or `.name`: the files modelCache.ts and this module write. */
const ENTRY_FILE = /^model-([0-9a-f]{16})(?:[-.].*)?$/;

/** The model path recorded beside an entry (untrusted: the folder may have come with a repository), shown as text. */
function readName(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.length <= 4096 ? text.replace(/\p{Cc}/gu, '?') : undefined; // control characters shown as ?
  } catch {
    return undefined;
  }
}

/** What `<configDir>/.reclens/model-cache` holds; nothing is changed. Writes in progress (dot-files) are left out. */
export function modelCacheContents(configDir: string): ModelCacheContents {
  const dir = path.join(configDir, ...LEVELS);
  const refused = folderRefusal(configDir, LEVELS);
  if (refused) return { dir, entries: [], files: 0, bytes: 0, refused };
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { dir, entries: [], files: 0, bytes: 0 };
    throw e;
  }
  const byId = new Map<string, ModelCacheEntry>();
  for (const e of names) {
    const id = ENTRY_FILE.exec(e.name)?.[1];
    if (!id || !e.isFile()) continue; // links, folders and other files were never written by RecLens here
    let st: fs.Stats;
    try {
      st = fs.lstatSync(path.join(dir, e.name));
    } catch {
      continue; // removed meanwhile
    }
    const entry = byId.get(id) ?? { id, files: [], bytes: 0, usedMs: 0 };
    byId.set(id, entry);
    entry.files.push(e.name);
    entry.bytes += st.size;
    entry.usedMs = Math.max(entry.usedMs, st.mtimeMs);
    if (e.name.endsWith('.name')) entry.model = readName(path.join(dir, e.name));
  }
  const entries = [...byId.values()].sort((a, b) => b.usedMs - a.usedMs);
  for (const e of entries) e.files.sort();
  return {
    dir,
    entries,
    files: entries.reduce((a, e) => a + e.files.length, 0),
    bytes: entries.reduce((a, e) => a + e.bytes, 0),
  };
}

/**
 * Bounds the model cache to `maxBytes`: the least recently used models' entries go first, never one in `keep` (ids)
 * nor one with a file this process holds. A kept entry larger than the bound stays, alone. Returns the ids removed.
 */
export function trimModelCache(configDir: string, maxBytes: number, keep: readonly string[] = []): string[] {
  const contents = modelCacheContents(configDir);
  if (contents.refused) return [];
  const held = new Set(heldEntriesIn(contents.dir).map((name) => ENTRY_FILE.exec(name)?.[1]));
  let total = contents.bytes;
  const removed: string[] = [];
  for (const e of [...contents.entries].reverse()) {
    if (total <= maxBytes) break;
    if (keep.includes(e.id) || held.has(e.id)) continue;
    for (const f of e.files) fs.rmSync(path.join(contents.dir, f), { force: true });
    removed.push(e.id);
    total -= e.bytes;
  }
  return removed;
}

/**
 * A job has just saved or loaded `graph` (a saved graph of `model`): marks it as used (its mtime orders the trim),
 * records the model's path for listings, then bounds the cache, keeping this entry. Failures are ignored: the cache
 * is an optimisation.
 */
export function modelGraphUsed(configDir: string, graph: string, model: string): void {
  const id = ENTRY_FILE.exec(path.basename(graph))?.[1];
  if (!id) return;
  try {
    const now = new Date();
    fs.utimesSync(graph, now, now);
    const name = path.join(path.dirname(graph), `model-${id}.name`);
    const resolved = path.resolve(model);
    if (readName(name) !== resolved) {
      const tmp = path.join(path.dirname(graph), `.model-${id}.name.${process.pid}`);
      fs.writeFileSync(tmp, resolved);
      fs.renameSync(tmp, name);
    }
    trimModelCache(configDir, modelCacheBound.bytes(), [id]);
  } catch {
    /* a full disk, a folder removed meanwhile: the next job saves or trims again */
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** "3 min ago", "2 h ago", "4 days ago". */
export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, (now - ms) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** What the model cache holds, in the words the CLI and the editor use: a line, then one line per model. */
export function describeModelCache(c: ModelCacheContents, now = Date.now()): string {
  if (c.refused) return `Model cache not used: ${c.refused}`;
  if (!c.entries.length) return `${c.dir}: no saved models.`;
  const head = `${c.dir}: ${c.entries.length} saved model${c.entries.length === 1 ? '' : 's'}, ${mib(c.bytes)} (bound ${mib(modelCacheBound.bytes())}):`;
  return [
    head,
    ...c.entries.map(
      (e) => `  ${e.model ?? `model ${e.id} (path not recorded)`}: ${mib(e.bytes)}, used ${ago(e.usedMs, now)}`,
    ),
  ].join('\n');
}
