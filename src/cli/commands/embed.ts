/** `reclens embed`: a 2-D projection of an embedding table, with each point's nearest neighbours. */
import * as path from 'path';
import type { Flags } from '../flags';
import { fmt, int } from '../format';
import type { Io } from '../io';
import { jobCommand } from '../jobCommand';

export const embedCommand = (flags: Flags, io: Io): Promise<number> =>
  jobCommand(
    'embed',
    flags,
    io,
    ({ result: r, options }) => [
      `RecLens embed: ${r.table} (${int(r.rows)} rows${r.sampleSize < r.rows ? `, seeded sample of ${int(r.sampleSize)}` : ''}), ${r.method.toUpperCase()}, seed ${options.seed}`,
      ...(r.explainedVariance
        ? [
            `  explained variance of the top components: ${r.explainedVariance.map((v) => `${(100 * v).toFixed(1)}%`).join(', ')}`,
          ]
        : []),
      `  neighbours computed on ${r.knnProvider}; ${fmt(r.seconds, 2)} s`,
      r.out
        ? `  coordinates   ${path.relative(process.cwd(), r.out)} (Parquet: id, x, y)`
        : '  coordinates   not saved (pass --out coords.parquet to write them; the run record keeps a sample for the report)',
    ],
    {
      labelWidth: 14,
      // The sampled projection stays in the run record (for the report); the JSON on stdout leaves it out.
      json: ({ projection: _sample, ...rest }) => rest,
    },
  );
