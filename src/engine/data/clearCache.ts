/**
 * What the decoded-rows cache holds on disk (`.reclens/cache` beside a config: up to three spilled row sets, see
 * rowCache.ts), and clearing it: `reclens cache --clear` and the editor's "RecLens: Clear Cache".
 *
 * Only `<config folder>/.reclens/cache` is ever removed, and no symbolic link is followed: a cloned repository could
 * make `.reclens` or `.reclens/cache` a link to any folder. A linked `.reclens` is left alone (the cache behind it
 * is not the config folder's); a linked `cache` loses the link only; links inside the cache are removed as links.
 */
import * as fs from 'fs';
import * as path from 'path';
import { forgetRows } from './rowCache';

export interface RowCacheContents {
  /** `<config folder>/.reclens/cache`. */
  dir: string;
  /** The cached row sets (one folder each; leftovers of interrupted writes start with a dot). */
  entries: string[];
  /** Regular files and their bytes, links and folders not counted. */
  files: number;
  bytes: number;
  /** Why the folder is not (or not all) a cache RecLens may clear, when it is not. */
  refused?: string;
  /** `cache` itself is a symbolic link (to `linkTarget`): clearing removes the link, never the target's files. */
  linkTarget?: string;
}

export interface RowCacheCleared extends RowCacheContents {
  /** Whether anything was removed. */
  removed: boolean;
}

export function rowCacheDir(configDir: string): string {
  return path.join(configDir, '.reclens', 'cache');
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Files and bytes under `dir`, without following links. */
function tally(dir: string): { files: number; bytes: number } {
  let files = 0,
    bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const t = tally(p);
      files += t.files;
      bytes += t.bytes;
    } else if (e.isFile()) {
      files++;
      bytes += fs.lstatSync(p).size;
    }
  }
  return { files, bytes };
}

/** What `<configDir>/.reclens/cache` holds; nothing is changed. */
export function rowCacheContents(configDir: string): RowCacheContents {
  const dir = rowCacheDir(configDir);
  const empty = { dir, entries: [], files: 0, bytes: 0 };
  const reclens = lstat(path.dirname(dir));
  if (!reclens) return empty;
  if (reclens.isSymbolicLink())
    return {
      ...empty,
      refused: `${path.dirname(dir)} is a symbolic link (to ${fs.readlinkSync(path.dirname(dir))}); RecLens does not follow it. Remove it yourself if it is yours.`,
    };
  if (!reclens.isDirectory()) return { ...empty, refused: `${path.dirname(dir)} is not a folder.` };
  const cache = lstat(dir);
  if (!cache) return empty;
  if (cache.isSymbolicLink()) return { ...empty, linkTarget: fs.readlinkSync(dir) };
  if (!cache.isDirectory()) return { ...empty, refused: `${dir} is not a folder.` };
  return { dir, entries: fs.readdirSync(dir).sort(), ...tally(dir) };
}

/**
 * Drops the row sets kept in memory (so no later job reads a spilled set that is gone), then removes
 * `<configDir>/.reclens/cache`: renamed aside first, so a job starting meanwhile finds no half-removed entry.
 */
export function clearRowCache(configDir: string): RowCacheCleared {
  forgetRows();
  const contents = rowCacheContents(configDir);
  if (contents.refused) return { ...contents, removed: false };
  if (contents.linkTarget !== undefined) {
    fs.unlinkSync(contents.dir); // the link only
    return { ...contents, removed: true };
  }
  if (!lstat(contents.dir)) return { ...contents, removed: false };
  const aside = path.join(path.dirname(contents.dir), `.cache-removing-${process.pid}-${Date.now()}`);
  fs.renameSync(contents.dir, aside);
  fs.rmSync(aside, { recursive: true, force: true }); // fs.rm removes links as links, never what they point to
  return { ...contents, removed: true };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const sets = (n: number) => `${n} row set${n === 1 ? '' : 's'}`;
const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

/** What the cache holds, in the words the CLI and the editor use. */
export function describeRowCache(c: RowCacheContents): string {
  if (c.refused) return c.refused;
  if (c.linkTarget !== undefined)
    return `${c.dir} is a symbolic link (to ${c.linkTarget}); clearing removes the link only.`;
  if (!c.entries.length) return `${c.dir}: no cached rows.`;
  return `${c.dir}: ${sets(c.entries.length)} (${c.entries.join(', ')}), ${files(c.files)}, ${mib(c.bytes)}.`;
}

/** What clearing did, in the words the CLI and the editor use. */
export function describeCleared(c: RowCacheCleared): string {
  if (c.refused) return `Nothing removed: ${c.refused}`;
  if (c.linkTarget !== undefined)
    return `Removed the symbolic link ${c.dir}; what it points to (${c.linkTarget}) was not touched.`;
  if (!c.removed) return `Nothing to remove: ${c.dir} does not exist.`;
  return `Removed ${c.dir}: ${sets(c.entries.length)}${c.entries.length ? ` (${c.entries.join(', ')})` : ''}, ${files(c.files)}, ${mib(c.bytes)}.`;
}

/** One cached row set on disk: its folder name, size and when it was last used (recallRows touches the folder). */
export interface RowCacheEntry {
  name: string;
  bytes: number;
  usedMs: number;
}

/**
 * Which row sets to remove so that those left fit in `maxBytes`: the least recently used first, never one in `keep`
 * (the set a job has just written, sets an open Rows explorer reads). Kept sets larger than the bound stay, alone.
 */
export function rowSetsToEvict(
  entries: readonly RowCacheEntry[],
  maxBytes: number,
  keep: readonly string[] = [],
): string[] {
  let total = entries.reduce((s, e) => s + e.bytes, 0);
  const evict: string[] = [];
  for (const e of entries.filter((x) => !keep.includes(x.name)).sort((a, b) => a.usedMs - b.usedMs)) {
    if (total <= maxBytes) break;
    evict.push(e.name);
    total -= e.bytes;
  }
  return evict;
}

/**
 * Bounds `<configDir>/.reclens/cache` to `maxBytes` by rowSetsToEvict, with the safety of clearRowCache: nothing
 * behind a symbolic link, links removed as links, each set renamed aside before it is removed. Folders starting with
 * a dot (writes in progress, possibly by another process) are neither counted nor touched. Returns what it removed.
 */
export function trimRowCache(configDir: string, maxBytes: number, keep: readonly string[] = []): string[] {
  const contents = rowCacheContents(configDir);
  if (contents.refused || contents.linkTarget !== undefined || !contents.entries.length) return [];
  const entries = fs
    .readdirSync(contents.dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => {
      const p = path.join(contents.dir, e.name);
      return { name: e.name, bytes: tally(p).bytes, usedMs: fs.lstatSync(p).mtimeMs };
    });
  const evict = rowSetsToEvict(entries, maxBytes, keep);
  for (const name of evict) {
    const aside = path.join(contents.dir, `.evicting-${name}-${process.pid}`);
    fs.renameSync(path.join(contents.dir, name), aside);
    fs.rmSync(aside, { recursive: true, force: true });
  }
  return evict;
}
