import * as fs from 'fs';
import * as path from 'path';
import { inputError, usageError } from '../../engine/errors';
import { renderReport } from '../../engine/jobs/report';
import { writeFileAtomic } from '../../engine/runs/atomicWrite';
import { listRunRecords } from '../../engine/runs/runRecord';
import type { Io } from '../io';
import { Flags, flagBool, flagString } from '../flags';
import { findRunRecordIn, runsDirs } from '../records';

export async function reportCommand(
  args: { config?: string; run?: string; latest: boolean; out?: string; runsDir?: string },
  io: Io,
): Promise<number> {
  if (!args.run && !args.latest) throw usageError('report needs --run <id or file> or --latest.');
  let found = args.run ? findRunRecordIn(args.run, []) : undefined; // a record file needs no runs folder
  if (!found) {
    const dir = runsDirs(args)[0];
    if (!dir) throw usageError('report needs --config (to find its runs), --runs-dir, or --run <record file>.');
    const runs = listRunRecords(dir);
    found = args.latest ? runs[0] && { record: runs[0], dir } : findRunRecordIn(args.run!, [dir]);
    if (!found)
      throw inputError(
        `No run ${args.latest ? '' : `"${args.run}" `}in ${dir}${runs.length ? ` (newest: ${runs[0].id})` : ' (no runs yet: run reclens eval first)'}.`,
        { file: dir },
      );
  }
  const { record, dir } = found;
  // Reports go beside the runs (.reclens/reports next to .reclens/runs), not into the current directory.
  const out = args.out ?? path.join(dir, '..', 'reports', `reclens-${record.id}.html`);
  let html: string;
  try {
    html = renderReport(record);
  } catch (e) {
    // checkRunRecord checked the common fields; results differ by kind, and a hand-edited one can lack any of them.
    throw inputError(
      `Run record ${record.id} is incomplete: its "results" lack what a ${record.kind} report shows (${(e as Error).message.slice(0, 160)}). Run the command again to write a new record.`,
      {},
    );
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileAtomic(out, html);
  io.out(`wrote ${path.resolve(out)}`);
  return 0;
}

export const reportFromFlags = (f: Flags, io: Io): Promise<number> =>
  reportCommand(
    {
      config: flagString(f, 'config'),
      run: (f.run as string[] | undefined)?.[0],
      latest: flagBool(f, 'latest'),
      out: flagString(f, 'out'),
      runsDir: flagString(f, 'runs-dir'),
    },
    io,
  );
