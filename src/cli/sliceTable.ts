/** The per-slice table of `reclens eval`: worst AUC difference first, flagged slices marked. */
import type { SliceReport } from '../engine/slices/sliceMetrics';
import { fmt, int, interval, table } from './format';

export function sliceLines(r: SliceReport): string[] {
  const rows = [...r.slices].sort((a, b) => (a.delta.auc ?? Infinity) - (b.delta.auc ?? Infinity));
  const lines = [`  slices        ${rows.length} (${rows.filter((s) => s.flagged).length} flagged; ${r.rule})`];
  lines.push(
    table(
      [
        ['', 'slice', 'rows', 'AUC', 'AUC 95%', 'AUC - whole', '95% paired', 'GAUC', 'LogLoss', 'calib. ratio', 'ECE'],
        ...rows.map((s) => [
          s.flagged ? '!' : '',
          s.name,
          int(s.rows),
          fmt(s.auc),
          interval(s.ci?.auc),
          fmt(s.delta.auc),
          interval(s.ci?.deltaAuc),
          fmt(s.gauc),
          fmt(s.logloss),
          fmt(s.calibration.ratio, 3),
          fmt(s.calibration.ece),
        ]),
      ],
      '    ',
    ),
  );
  for (const n of r.notes) lines.push(`  slice note    ${n}`);
  return lines;
}
