/** `reclens ceiling`: the label-leak ceiling of each slot (an oracle's choice of its value vs mask vs the model). */
import * as path from 'path';
import type { Flags } from '../flags';
import { fmt, int, table } from '../format';
import type { Io } from '../io';
import { jsonOut, runJobCommand } from '../jobCommand';

export async function ceilingCommand(flags: Flags, io: Io): Promise<number> {
  const run = await runJobCommand('ceiling', flags, io);
  const { result: r, config, file } = run;
  const { seed } = run.options;
  if (run.args.json) {
    jsonOut(io, run);
    return 0;
  }
  io.out(
    [
      `RecLens ceiling: ${config.name ?? path.basename(config.dir)} (${int(r.rows)} rows, provider ${r.executionProvider}, seed ${seed})`,
      '  ceiling = AUC(oracle) - AUC(mask); realised = AUC(full) - AUC(mask); efficiency = realised / ceiling',
      table([
        ['slot', 'K', 'AUC full', 'AUC mask', 'AUC oracle', 'ceiling', 'realised', 'efficiency'],
        ...r.results.map((x) => [
          x.slot,
          String(x.candidates),
          fmt(x.aucFull),
          fmt(x.aucMask),
          fmt(x.aucOracle),
          fmt(x.ceiling),
          fmt(x.realised),
          fmt(x.efficiency, 3),
        ]),
      ]),
      `  ${int(r.inferences)} inferences in ${fmt(r.seconds, 2)} s (${int(Math.round(r.inferences / r.seconds))}/s)`,
      ...(file ? [`  run record ${path.relative(process.cwd(), file)}`] : []),
    ].join('\n'),
  );
  return 0;
}
