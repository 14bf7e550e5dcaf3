/**
 * Clearing the decoded-rows cache (`.reclens/cache` beside a config, see rowCacheDisk.ts): `reclens cache --clear` and
 * the editor's "RecLens: Clear Cache".
 *
 * Only `<config folder>/.reclens/cache` is ever removed, and no symbolic link is followed: a cloned repository could
 * make `.reclens` or `.reclens/cache` a link to any folder. A linked `.reclens` is left alone (the cache behind it
 * is not the config folder's); a linked `cache` loses the link only; links inside the cache are removed as links.
 */
import * as fs from 'fs';
import * as path from 'path';
import { forgetRows } from './rowCache';
import { lstat, RowCacheContents, rowCacheContents } from './rowCacheDisk';

export { rowCacheContents, rowCacheDir } from './rowCacheDisk';
export type { RowCacheContents } from './rowCacheDisk';

export interface RowCacheCleared extends RowCacheContents {
  /** Whether anything was removed. */
  removed: boolean;
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
