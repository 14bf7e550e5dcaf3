/** What every job command does around its job: flags to options (from the registry), progress, the run record. */
import * as path from 'path';
import { requireConfig } from '../engine/config/loadConfig';
import type { RecLensConfig } from '../engine/config/types';
import { JobKind, JobOptionsOf, JobResultOf, jobSpec } from '../engine/jobs/registry';
import type { JobControl } from '../engine/progress';
import type { RunRecord } from '../engine/runs/runRecord';
import { CliArgs, cliArgs, Flags, jobOptionsFromFlags } from './flags';
import type { Io } from './io';
import { withCliProgress } from './progress';
import { saveRecord } from './records';

export interface JobCommandRun<K extends JobKind> {
  args: CliArgs;
  options: JobOptionsOf<K>;
  config: RecLensConfig;
  result: JobResultOf<K>;
  record: RunRecord<JobResultOf<K>>;
  /** The run record file, unless --no-record. */
  file: string | undefined;
}

async function runJobCommand<K extends JobKind>(kind: K, flags: Flags, io: Io): Promise<JobCommandRun<K>> {
  const args = cliArgs(kind, flags);
  const options = await jobOptionsFromFlags(kind, flags);
  const { config } = requireConfig(args.config);
  const run = jobSpec(kind).run as unknown as (
    c: RecLensConfig,
    o: JobOptionsOf<K>,
    control?: JobControl,
  ) => Promise<{ result: JobResultOf<K>; record: RunRecord<JobResultOf<K>> }>;
  const { result, record } = await withCliProgress(io.progress, args, (control) => run(config, options, control));
  const file = saveRecord(args, config.dir, record, io);
  return { args, options, config, result, record, file };
}

/**
 * A job command from start to end: the job (flags to options, progress, the run record), then `--json` prints the
 * result (`json` may leave parts out) with its run id and record file, else the lines `text` makes of the run and,
 * last, where the record went (its label padded to `labelWidth`, as the command's other labels).
 */
export async function jobCommand<K extends JobKind>(
  kind: K,
  flags: Flags,
  io: Io,
  text: (run: JobCommandRun<K>) => string[],
  options: { labelWidth?: number; json?: (result: JobResultOf<K>) => object } = {},
): Promise<number> {
  const run = await runJobCommand(kind, flags, io);
  if (run.args.json) {
    const result = options.json ? options.json(run.result) : run.result;
    io.out(JSON.stringify({ ...result, runId: run.record.id, runRecord: run.file ?? null }, null, 2));
    return 0;
  }
  const where = run.file
    ? [`  ${'run record'.padEnd(options.labelWidth ?? 11)}${path.relative(process.cwd(), run.file)}`]
    : [];
  io.out([...text(run), ...where].join('\n'));
  return 0;
}

/** How a job's first line names the config: its name, else its folder's. */
export const configTitle = (config: RecLensConfig): string => config.name ?? path.basename(config.dir);
