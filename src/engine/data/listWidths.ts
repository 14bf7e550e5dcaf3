/**
 * The shortest and longest row of a variable-length list column, measured once per unchanged file. Planning the
 * inputs scans the whole column for it (min / max of len()), on every job: at 1,008,350 MovieLens bench rows the
 * two list columns took ~0.6 CPU s of DuckDB's threads each time a workspace opened, the largest part of an ablate
 * or ceiling job's set-up once its rows come from the row cache (docs/performance.md, Round 8).
 */
import * as fs from 'fs';

/** Seconds within which a file's change time is too recent to trust its stamp (as runs/hash.ts fileFingerprint). */
const RACY_SECONDS = 3;
/** Remembered widths; a few data files per session at most, so a small bound is plenty. */
const MAX_ENTRIES = 64;
const widths = new Map<string, { lo: number; hi: number }>();

/** Device, inode, size, mtime and ctime in nanoseconds: any write or replacement of the file changes it. */
function stampOf(file: string): { id: string; ctimeMs: number } | undefined {
  try {
    const st = fs.statSync(file, { bigint: true });
    return {
      id: [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':'),
      ctimeMs: Number(st.ctimeNs / 1_000_000n),
    };
  } catch {
    return undefined; // not a plain path (DuckDB reports the real problem when it reads it)
  }
}

/**
 * `measure()`'s answer for `column` of `file`, remembered for this process while the file keeps its stamp (taken
 * before the scan, so a file written during it is measured again next time). A stamp within a few seconds of the
 * file's ctime is not trusted (a rewrite in the same clock tick keeps it), so such a file is measured each time.
 */
export async function listWidths(
  file: string,
  column: string,
  measure: () => Promise<{ lo: number; hi: number }>,
): Promise<{ lo: number; hi: number }> {
  const stamp = stampOf(file);
  const key = stamp && `${stamp.id}\0${column}`;
  const known = key ? widths.get(key) : undefined;
  if (known) return known;
  const measuredAt = Date.now();
  const found = await measure();
  if (key && measuredAt - stamp.ctimeMs > RACY_SECONDS * 1000) {
    if (widths.size >= MAX_ENTRIES) widths.delete(widths.keys().next().value!);
    widths.set(key, found);
  }
  return found;
}

/** The remembered widths of `column` of `file` under its current stamp, if any (tests). */
export function rememberedListWidths(file: string, column: string): { lo: number; hi: number } | undefined {
  const stamp = stampOf(file);
  return stamp && widths.get(`${stamp.id}\0${column}`);
}

/** Forgets every remembered width (tests). */
export function forgetListWidths(): void {
  widths.clear();
}
