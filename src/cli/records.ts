/** Where a CLI command's run record goes: --runs-dir, else .reclens/runs beside the config; none with --no-record. */
import * as fs from 'fs';
import { requireConfig } from '../engine/config/loadConfig';
import { parseRunRecord } from '../engine/runs/recordShape';
import { defaultRunsDir, listRunRecords, RunRecord, writeRunRecord } from '../engine/runs/runRecord';

export function saveRecord(args: { record: boolean; runsDir?: string }, configDir: string, record: RunRecord): string | undefined {
  return args.record ? writeRunRecord(args.runsDir ?? defaultRunsDir(configDir), record) : undefined;
}

/** The runs folders a command searches: --runs-dir and/or the config's own. */
export function runsDirs(args: { runsDir?: string; config?: string }): string[] {
  return [args.runsDir, args.config ? defaultRunsDir(requireConfig(args.config).config.dir) : undefined].filter((d): d is string => !!d);
}

/** A run given as a record file, or as an id or id prefix in one of `dirs`. */
export function findRunRecord(ref: string, dirs: string[]): RunRecord | undefined {
  if (fs.existsSync(ref) && fs.statSync(ref).isFile()) return parseRunRecord(fs.readFileSync(ref, 'utf8'), ref);
  for (const d of dirs) {
    const hit = listRunRecords(d).find((r) => r.id === ref || r.id.startsWith(ref));
    if (hit) return hit;
  }
  return undefined;
}
