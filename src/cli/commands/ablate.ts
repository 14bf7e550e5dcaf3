/** `reclens ablate`: what each input slot is worth, by masking or permuting it, with paired intervals. */
import type { Flags } from '../flags';
import { fmt, int, interval, table } from '../format';
import type { Io } from '../io';
import { configTitle, jobCommand } from '../jobCommand';

export const ablateCommand = (flags: Flags, io: Io): Promise<number> =>
  jobCommand('ablate', flags, io, ({ result: r, config, options }) => [
    `RecLens ablate: ${configTitle(config)} (${int(r.rows)} rows${r.slice ? ` of slice ${r.slice}` : ''}, provider ${r.executionProvider}, seed ${options.seed})`,
    `  baseline  AUC ${fmt(r.baseline.auc)}  GAUC ${fmt(r.baseline.gauc)}  LogLoss ${fmt(r.baseline.logloss)}`,
    `  impact = full minus ablated (LogLoss: ablated minus full), so bigger = more useful; 95% paired ${r.bootstrap ? `${r.bootstrap.unit} bootstrap, ${r.bootstrap.replicates} replicates` : 'intervals off'}`,
    table([
      ['slot', 'method', 'AUC', 'dAUC', 'dAUC 95%', 'dGAUC', 'dLogLoss'],
      ...r.results.map((x) => [
        x.slot,
        x.method + (x.repeats ? ` x${x.repeats}` : ''),
        fmt(x.auc),
        fmt(x.deltaAuc),
        interval(x.ci?.deltaAuc),
        fmt(x.deltaGauc),
        fmt(x.deltaLogloss),
      ]),
    ]),
    `  ${r.inferencePasses} inference passes in ${fmt(r.seconds, 2)} s`,
  ]);
