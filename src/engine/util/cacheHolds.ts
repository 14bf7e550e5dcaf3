/**
 * Cache entries this process is using, counted per entry: a job reading a spilled row set, an open Rows explorer, a
 * job loading a saved model graph. Each use holds its entry and releases it when done (in a `finally`, so a failed or
 * cancelled job releases too); the caches' size bounds never remove a held entry, and remove an entry the moment
 * its last holder lets go. Other processes' uses are not seen here: for them, being recently used protects an entry.
 */
import * as path from 'path';

const holders = new Map<string, number>();

/** Holds `entry` (a path) until the returned function is called; calling it again does nothing. */
export function holdCacheEntry(entry: string): () => void {
  const key = path.resolve(entry);
  holders.set(key, (holders.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (holders.get(key) ?? 1) - 1;
    if (left > 0) holders.set(key, left);
    else holders.delete(key);
  };
}

/** The names of the entries directly in `dir` that this process holds. */
export function heldEntriesIn(dir: string): string[] {
  const root = path.resolve(dir);
  return [...holders.keys()].filter((p) => path.dirname(p) === root).map((p) => path.basename(p));
}
