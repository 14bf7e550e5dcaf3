/** `reclens ceiling`: the label-leak ceiling of each slot (an oracle's choice of its value vs mask vs the model). */
import type { Flags } from '../flags';
import { fmt, int, table } from '../format';
import type { Io } from '../io';
import { configTitle, jobCommand } from '../jobCommand';

export const ceilingCommand = (flags: Flags, io: Io): Promise<number> =>
  jobCommand('ceiling', flags, io, ({ result: r, config, options }) => [
    `RecLens ceiling: ${configTitle(config)} (${int(r.rows)} rows, provider ${r.executionProvider}, seed ${options.seed})`,
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
  ]);
