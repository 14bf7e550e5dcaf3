/** `reclens eval`: the base metrics of the ranker on the evaluation rows, with intervals and per-slice metrics. */
import type { Flags } from '../flags';
import { fmt, int, interval } from '../format';
import type { Io } from '../io';
import { configTitle, jobCommand } from '../jobCommand';
import { sliceLines } from '../sliceTable';

export const evalCommand = (flags: Flags, io: Io): Promise<number> =>
  jobCommand(
    'eval',
    flags,
    io,
    ({ result: r, record, config }) => {
      const ci = r.ci;
      const lines = [
        `RecLens eval: ${configTitle(config)} (${config.file})`,
        `  rows          ${int(r.rows)}   positives ${int(r.positives)} (${fmt((100 * r.positives) / r.rows, 1)}%)`,
        `  AUC           ${fmt(r.auc)}  ${interval(ci?.auc)}`,
        `  GAUC          ${r.gauc === null ? 'n/a (no data.group column)' : `${fmt(r.gauc)}  ${interval(ci?.gauc)}`}${r.groups ? `   groups used ${int(r.groups.used)}, skipped ${int(r.groups.skipped)} (one class)` : ''}`,
        `  LogLoss       ${fmt(r.logloss)}  ${interval(ci?.logloss)}`,
        `  calibration   mean prediction ${fmt(r.calibration.meanPrediction)} vs observed ${fmt(r.calibration.observedRate)} (ratio ${fmt(r.calibration.ratio, 3)}), ECE ${fmt(r.calibration.ece)}`,
      ];
      if (r.bootstrap)
        lines.push(
          `  intervals     95% percentile, ${r.bootstrap.replicates} bootstrap replicates by ${r.bootstrap.unit}, seed ${r.bootstrap.seed}`,
        );
      for (const [input, m] of Object.entries(r.missingKeys)) {
        if (m.missing > 0)
          lines.push(
            `  note          ${input}: ${int(m.missing)} of ${int(m.total)} keys (${fmt((100 * m.missing) / m.total, 1)}%) not in the table; fallback vector used`,
          );
      }
      if (r.slices) lines.push(...sliceLines(r.slices));
      lines.push(`  provider      ${r.executionProvider}`);
      for (const f of r.providerFallbacks) lines.push(`  skipped       ${f.provider}: ${f.reason}`);
      lines.push(
        `  time          ${fmt(r.seconds, 2)} s (${int(Math.round(r.rows / record.timings.inferenceSeconds))} rows/s inference)`,
      );
      return lines;
    },
    { labelWidth: 14 },
  );
