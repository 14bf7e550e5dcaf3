/**
 * What the decoded-rows cache holds on disk (`.reclens/cache` beside a config: spilled row sets, see rowCache.ts), and
 * its size bound: after each spill the least recently used sets are removed until the rest fit in
 * `reclens.rowCacheMaxMB` (the CLI's --row-cache-max-mb). Read-only but for trimRowCache; clearCache.ts clears it all.
 *
 * No symbolic link is followed: a cloned repository could make `.reclens` or `.reclens/cache` a link to any folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { diskBound } from '../util/diskBound';
import { describeFolderFault, folderFault } from '../util/ownedFolder';

/**
 * The default bound, in MiB. Sets under 256 MiB stay in memory and never reach the disk, and 1M rows of the bench
 * ranker spill 363 MB: 4 GiB keeps the three sets the cache holds at most (eval -> ablate -> ceiling on a few data
 * sets of a few million rows each) without re-decoding, and is no more disk than the largest data file RecLens
 * reads by default (reclens.maxFileSizeMB).
 */
export const DEFAULT_ROW_CACHE_MAX_MB = 4096;
const bound = diskBound(DEFAULT_ROW_CACHE_MAX_MB);

/** Sets the bound in MiB (the `reclens.rowCacheMaxMB` setting, the CLI's --row-cache-max-mb); 0 keeps only sets in use. */
export const setRowCacheMaxMB = bound.setMB;
export const rowCacheMaxBytes = bound.bytes;

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

export function rowCacheDir(configDir: string): string {
  return path.join(configDir, '.reclens', 'cache');
}

/** lstat, or undefined when nothing is there. */
export function lstat(p: string): fs.Stats | undefined {
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
  const fault = folderFault(configDir, ['.reclens', 'cache']);
  // `cache` itself a link: not followed, but clearing may remove the link (it is in a real `.reclens`).
  if (fault?.kind === 'link' && fault.path === dir) return { ...empty, linkTarget: fault.target };
  if (fault) return { ...empty, refused: describeFolderFault(fault) };
  if (!lstat(dir)) return empty;
  return { dir, entries: fs.readdirSync(dir).sort(), ...tally(dir) };
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
  const entries: RowCacheEntry[] = [];
  for (const e of fs.readdirSync(contents.dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const p = path.join(contents.dir, e.name);
    try {
      entries.push({ name: e.name, bytes: tally(p).bytes, usedMs: fs.lstatSync(p).mtimeMs });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // removed meanwhile (another process's trim)
    }
  }
  const evicted: string[] = [];
  for (const name of rowSetsToEvict(entries, maxBytes, keep)) {
    const aside = path.join(contents.dir, `.evicting-${name}-${process.pid}`);
    try {
      fs.renameSync(path.join(contents.dir, name), aside);
    } catch (err) {
      // Gone already (another process's trim), or open in another process where that blocks a rename (Windows).
      if (['ENOENT', 'EBUSY', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) continue;
      throw err;
    }
    fs.rmSync(aside, { recursive: true, force: true });
    evicted.push(name);
  }
  return evicted;
}

/** Marks a row set as just used (its folder's mtime orders trimRowCache); one removed meanwhile is no error. */
export function touchRowSet(dir: string): void {
  const now = new Date();
  try {
    fs.utimesSync(dir, now, now);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
