/** What every job command does around its job: flags to options (from the registry), progress, the run record. */
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

export async function runJobCommand<K extends JobKind>(kind: K, flags: Flags, io: Io): Promise<JobCommandRun<K>> {
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

/** `--json`: the result with its run id and record file. */
export function jsonOut(
  io: Io,
  run: { result: object; record: { id: string }; file: string | undefined },
  result: object = run.result,
): void {
  io.out(JSON.stringify({ ...result, runId: run.record.id, runRecord: run.file ?? null }, null, 2));
}
