/**
 * Job `report`: one self-contained HTML page for a run record (charts as inline SVG, the Reproduce line). It takes a
 * record, not a config, so it is not in the registry. The work is in ../report/html.ts.
 */
import { renderReport } from '../report/html';
import type { RunRecord } from '../runs/runRecord';

export { renderReport };

/** Nothing to choose yet: the report shows what the record holds. */
export type ReportOptions = Record<string, never>;
/** The page's HTML text. */
export type ReportResult = string;

export function report(record: RunRecord, _options: ReportOptions = {}): ReportResult {
  return renderReport(record);
}
