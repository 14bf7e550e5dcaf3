/** Where a CLI command's run record goes: --runs-dir, else .reclens/runs beside the config; none with --no-record. */
import * as fs from 'fs';
import * as path from 'path';
import { requireConfig } from '../engine/config/loadConfig';
import { usageError } from '../engine/errors';
import { parseRunRecord } from '../engine/runs/recordShape';
import { defaultRunsDir, listRunRecords, RunRecord, writeRunRecord } from '../engine/runs/runRecord';
import type { Io } from './io';

/** Writes the record (unless --no-record) and tells the user its data warnings on stderr, so --json stays clean. */
export function saveRecord(
  args: { record: boolean; runsDir?: string },
  configDir: string,
  record: RunRecord,
  io: Pick<Io, 'err'>,
): string | undefined {
  printDataWarnings(record.warnings ?? [], io);
  return args.record ? writeRunRecord(args.runsDir ?? defaultRunsDir(configDir), record) : undefined;
}

/**
 * The data warnings (NULL groups, a label written as words: engine/data/dataWarnings.ts) on stderr, one line each,
 * in the words `check` and every job use; stderr, so --json output stays parseable.
 */
export function printDataWarnings(messages: readonly string[], io: Pick<Io, 'err'>): void {
  for (const w of messages) io.err(`reclens: warning: ${w}`);
}

/** The runs folders a command searches: --runs-dir and/or the config's own. */
export function runsDirs(args: { runsDir?: string; config?: string }): string[] {
  return [args.runsDir, args.config ? defaultRunsDir(requireConfig(args.config).config.dir) : undefined].filter(
    (d): d is string => !!d,
  );
}

/** A run given as a record file, or as its id or any unique part of it (prefix, `eval-r2vu8b` suffix) in one of `dirs`. */
export function findRunRecord(ref: string, dirs: string[]): RunRecord | undefined {
  return findRunRecordIn(ref, dirs)?.record;
}

/** The same, with the runs folder the record was found in (for a record file, its folder). */
export function findRunRecordIn(ref: string, dirs: string[]): { record: RunRecord; dir: string } | undefined {
  if (fs.existsSync(ref) && fs.statSync(ref).isFile())
    return { record: parseRunRecord(fs.readFileSync(ref, 'utf8'), ref), dir: path.dirname(path.resolve(ref)) };
  for (const d of dirs) {
    const runs = listRunRecords(d);
    const exact = runs.find((r) => r.id === ref);
    if (exact) return { record: exact, dir: d };
    const hits = runs.filter((r) => r.id.includes(ref));
    if (hits.length > 1)
      throw usageError(
        `"${ref}" matches ${hits.length} runs in ${d} (${hits
          .slice(0, 3)
          .map((r) => r.id)
          .join(', ')}${hits.length > 3 ? ', ...' : ''}); give more of the id.`,
      );
    if (hits.length === 1) return { record: hits[0], dir: d };
  }
  return undefined;
}
