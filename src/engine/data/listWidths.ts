/**
 * The shortest and longest row of a variable-length list column, measured once per unchanged file. Planning the
 * inputs scans the whole column for it (min / max of len()), on every job: at 1,008,350 MovieLens bench rows the
 * two list columns took ~0.6 CPU s of DuckDB's threads each time a workspace opened, the largest part of an ablate
 * or ceiling job's set-up once its rows come from the row cache (docs/performance.md, Round 8).
 */
import * as fs from 'fs';
import { stampSettled, statStamp } from '../runs/hash';

/** Remembered widths; a few data files per session at most, so a small bound is plenty. */
const MAX_ENTRIES = 64;
const widths = new Map<string, { lo: number; hi: number }>();

/** The file's stamp (runs/hash.ts statStamp), or undefined for what is not a plain path. */
function statOf(file: string): fs.BigIntStats | undefined {
  try {
    return fs.statSync(file, { bigint: true });
  } catch {
    return undefined; // DuckDB reports the real problem when it reads it
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
  const st = statOf(file);
  const key = st && `${statStamp(st)}\0${column}`;
  const known = key ? widths.get(key) : undefined;
  if (known) return known;
  const measuredAt = Date.now();
  const found = await measure();
  if (st && key && stampSettled(st, measuredAt)) {
    if (widths.size >= MAX_ENTRIES) widths.delete(widths.keys().next().value!);
    widths.set(key, found);
  }
  return found;
}

/** The remembered widths of `column` of `file` under its current stamp, if any (tests). */
export function rememberedListWidths(file: string, column: string): { lo: number; hi: number } | undefined {
  const st = statOf(file);
  return st && widths.get(`${statStamp(st)}\0${column}`);
}

/** Forgets every remembered width (tests). */
export function forgetListWidths(): void {
  widths.clear();
}
