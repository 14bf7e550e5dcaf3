/** `reclens embed`: a 2-D projection of an embedding table, with each point's nearest neighbours. */
import * as path from 'path';
import type { Flags } from '../flags';
import { fmt, int } from '../format';
import type { Io } from '../io';
import { jsonOut, runJobCommand } from '../jobCommand';

export async function embedCommand(flags: Flags, io: Io): Promise<number> {
  const run = await runJobCommand('embed', flags, io);
  const { result: r, file } = run;
  const { seed } = run.options;
  // The sampled projection stays in the run record (for the report); the JSON on stdout leaves it out.
  if (run.args.json) {
    const { projection: _sample, ...rest } = r;
    void _sample;
    jsonOut(io, run, rest);
    return 0;
  }
  io.out(
    [
      `RecLens embed: ${r.table} (${int(r.rows)} rows${r.sampleSize < r.rows ? `, seeded sample of ${int(r.sampleSize)}` : ''}), ${r.method.toUpperCase()}, seed ${seed}`,
      ...(r.explainedVariance
        ? [
            `  explained variance of the top components: ${r.explainedVariance.map((v) => `${(100 * v).toFixed(1)}%`).join(', ')}`,
          ]
        : []),
      `  neighbours computed on ${r.knnProvider}; ${fmt(r.seconds, 2)} s`,
      r.out
        ? `  coordinates   ${path.relative(process.cwd(), r.out)} (Parquet: id, x, y)`
        : '  coordinates   not saved (pass --out coords.parquet to write them; the run record keeps a sample for the report)',
      ...(file ? [`  run record    ${path.relative(process.cwd(), file)}`] : []),
    ].join('\n'),
  );
  return 0;
}
