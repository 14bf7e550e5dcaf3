import { compareRuns } from '../../engine/jobs/compare';
import { inputError, usageError } from '../../engine/errors';
import type { RunRecord } from '../../engine/runs/runRecord';
import { fmt, interval, table } from '../format';
import type { Io } from '../io';
import { Flags, flagBool, flagString, intFlag } from '../flags';
import { withCliProgress } from '../progress';
import { findRunRecord, runsDirs } from '../records';

function findRun(ref: string, dirs: string[]): RunRecord {
  const r = findRunRecord(ref, dirs);
  if (!r)
    throw inputError(`No run "${ref}" in ${dirs.join(', ') || '(no runs folder: pass --config or --runs-dir)'}.`, {});
  return r;
}

export async function compareCommand(
  args: {
    runs: string[];
    config?: string;
    runsDir?: string;
    json: boolean;
    bootstrap: number;
    seed?: number;
    quiet?: boolean;
    progress?: boolean;
  },
  io: Io,
): Promise<number> {
  if (args.runs.length !== 2) throw usageError('compare needs two runs: --run A --run B (ids or record files).');
  const dirs = runsDirs(args);
  const [a, b] = args.runs.map((r) => findRun(r, dirs));
  const c = await withCliProgress(io.progress, args, (control) =>
    compareRuns(a, b, { bootstrap: args.bootstrap, seed: args.seed }, control),
  );
  if (args.json) {
    io.out(JSON.stringify(c, null, 2));
    return 0;
  }
  const lines = [`RecLens compare: A ${c.a.id} (${c.a.label}) vs B ${c.b.id} (${c.b.label})`];
  if (c.paired) {
    const p = c.paired;
    lines.push(
      table([
        ['metric', 'A', 'B', 'B - A', '95% paired interval'],
        ['AUC', fmt(p.a.auc), fmt(p.b.auc), fmt(p.diff.auc), interval(p.ci?.auc)],
        ['GAUC', fmt(p.a.gauc), fmt(p.b.gauc), fmt(p.diff.gauc), interval(p.ci?.gauc)],
        ['LogLoss', fmt(p.a.logloss), fmt(p.b.logloss), fmt(p.diff.logloss), interval(p.ci?.logloss)],
      ]),
    );
    lines.push(
      `  ${c.rows?.toLocaleString('en-US')} rows scored by both models; ${p.bootstrap} replicates by user, seed ${p.seed}`,
    );
  }
  if (c.note) lines.push(`  ${c.note}`);
  io.out(lines.join('\n'));
  return 0;
}

export async function compareFromFlags(f: Flags, io: Io): Promise<number> {
  return compareCommand(
    {
      runs: (f.run as string[] | undefined) ?? [],
      config: flagString(f, 'config'),
      runsDir: flagString(f, 'runs-dir'),
      json: flagBool(f, 'json'),
      bootstrap: (await intFlag(f, 'bootstrap')) ?? 200,
      seed: await intFlag(f, 'seed'),
      quiet: flagBool(f, 'quiet'),
      progress: flagBool(f, 'progress'),
    },
    io,
  );
}
