/** The small multiples' table alternative: one row per segment, bucket and slot, one column per method. */
import type { AblationMethod } from '../../src/protocol/results';
import { numberColumn } from './columns';
import type { Column } from './dataTable';
import { formatCount, formatDelta, formatMetric } from './format';
import { METHOD_LABELS } from './impactRows';
import { segmentDelta, type Segments } from './segmentMultiples';

export interface SegmentRow {
  segment: string;
  bucket: string;
  rows: number;
  baselineAuc: number;
  slot: string;
  deltas: (number | null)[];
}

export function segmentRows(
  segments: Segments,
  slots: readonly string[],
  methods: readonly AblationMethod[],
): SegmentRow[] {
  return segments.flatMap((segment) =>
    segment.buckets.flatMap((bucket) =>
      slots.map((slot) => ({
        segment: segment.name,
        bucket: bucket.bucket,
        rows: bucket.rows,
        baselineAuc: bucket.baselineAuc,
        slot,
        deltas: methods.map((method) => segmentDelta(segments, segment.name, bucket.bucket, slot, method)),
      })),
    ),
  );
}

export function segmentColumns(methods: readonly AblationMethod[]): Column<SegmentRow>[] {
  return [
    { id: 'segment', header: 'Segment', cell: (r) => r.segment },
    { id: 'bucket', header: 'Bucket', cell: (r) => r.bucket },
    numberColumn('rows', 'Rows', (r) => r.rows, formatCount, 'rows', { sortable: false }),
    numberColumn('baseline', 'Baseline AUC', (r) => r.baselineAuc, formatMetric, 'baseline_auc', { sortable: false }),
    { id: 'slot', header: 'Slot', cell: (r) => r.slot },
    ...methods.map((method, m): Column<SegmentRow> => ({
      id: `delta-${method}`,
      header: `${METHOD_LABELS[method]} ΔAUC`,
      numeric: true,
      cell: (r) => formatDelta(r.deltas[m]),
      csv: { headers: [`${method}_delta_auc`], values: (r) => [r.deltas[m]] },
    })),
  ];
}
