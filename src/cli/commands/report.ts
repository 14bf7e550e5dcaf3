import * as fs from 'fs';
import * as path from 'path';
import { requireConfig } from '../../engine/config/loadConfig';
import { inputError, usageError } from '../../engine/errors';
import { renderReport } from '../../engine/report/html';
import { writeFileAtomic } from '../../engine/runs/atomicWrite';
import { defaultRunsDir, listRunRecords } from '../../engine/runs/runRecord';
import type { Io } from '../io';

export async function reportCommand(args: { config?: string; run?: string; latest: boolean; out?: string; runsDir?: string }, io: Io): Promise<number> {
  if (!args.run && !args.latest) throw usageError('report needs --run <id or file> or --latest.');
  let record;
  if (args.run && fs.existsSync(args.run)) record = JSON.parse(fs.readFileSync(args.run, 'utf8'));
  else {
    const dir = args.runsDir ?? (args.config ? defaultRunsDir(requireConfig(args.config).config.dir) : undefined);
    if (!dir) throw usageError('report needs --config (to find its runs), --runs-dir, or --run <record file>.');
    const runs = listRunRecords(dir);
    record = args.latest ? runs[0] : runs.find((r) => r.id === args.run || r.id.startsWith(args.run!));
    if (!record) throw inputError(`No run ${args.latest ? '' : `"${args.run}" `}in ${dir}${runs.length ? ` (newest: ${runs[0].id})` : ' (no runs yet: run reclens eval first)'}.`, { file: dir });
  }
  const out = args.out ?? `reclens-${record.id}.html`;
  writeFileAtomic(out, renderReport(record));
  io.out(`wrote ${path.resolve(out)}`);
  return 0;
}
