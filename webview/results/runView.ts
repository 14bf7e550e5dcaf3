/**
 * The Run panel: what ran (facts from the record), a compact view of its results by kind (evaluation metrics and
 * calibration; the impact and LIS views, read-only, for ablation and LIS runs; the ceiling table), and the
 * comparison with another run when the host sent one. "Compare with..." asks the host to pick that other run.
 */
import type {
  AblationResult,
  CeilingResult,
  CeilingRow,
  LisResult,
  RunPanelData,
  RunRecord,
  RunRef,
} from '../../src/protocol/results';
import { element, note } from '../shared/dom';
import { createButton, createTabs } from '../ui/toolkit';
import { numberColumn } from './columns';
import { renderComparison } from './comparisonView';
import { DataTable } from './dataTable';
import { isEvalResult, renderEvalSummary } from './evalSummary';
import { createFigure } from './figure';
import { formatMetric, formatPlain, formatRatio, slug } from './format';
import { renderImpactView } from './impactView';
import { renderLisView } from './lisView';
import { isSliceReport, renderSliceView } from './sliceView';
import { renderFacts, runFacts } from './runFacts';
import { tableSort, type ViewContext } from './viewContext';

export function renderRunView(container: HTMLElement, data: RunPanelData, context: ViewContext): void {
  const { record, comparison } = data;
  const toolbar = element('div', 'toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Run actions');
  toolbar.append(
    createButton({
      label: 'Compare with…',
      appearance: 'primary',
      title: 'Pick another run and compare it with this one',
      onClick: () => void context.host.request({ type: 'compareWith' }).then(context.report),
    }),
    createButton({
      label: 'Open record',
      title: `Open ${record.id}.json`,
      onClick: () => context.host.post({ type: 'openRecord', runId: record.id }),
    }),
  );
  container.append(toolbar);

  if (!comparison) {
    renderSummary(container, record, context);
    return;
  }
  // A comparison the user has not seen yet opens its tab once; after that the saved tab wins.
  const comparisonKey = `${comparison.a.id}|${comparison.b.id}`;
  const state = context.store.current;
  const tab = state.seenComparison === comparisonKey ? (state.runTab ?? 'summary') : 'comparison';
  context.store.update({ seenComparison: comparisonKey, runTab: tab });
  const tabs = createTabs({
    ariaLabel: 'Run views',
    active: tab,
    tabs: [
      { value: 'summary', label: 'Summary' },
      { value: 'comparison', label: 'Comparison' },
    ],
    onChange: (id) => context.store.update({ runTab: id }),
  });
  container.append(tabs.element);
  renderSummary(tabs.view('summary'), record, context);
  renderComparison(tabs.view('comparison'), comparison, context, slug(`${record.id}-vs-${comparison.b.id}`));
}

function renderSummary(container: HTMLElement, record: RunRecord, context: ViewContext): void {
  const body = element('div', 'run-summary');
  body.append(renderFacts(runFacts(record), 'Run facts'));
  const name = slug(record.id);
  const ref: RunRef = {
    runId: record.id,
    createdAt: record.createdAt,
    seed: record.seed,
    executionProvider: record.executionProvider,
  };
  const results = record.results;
  const section = element('div', 'run-results');
  switch (record.kind) {
    case 'eval':
      if (isEvalResult(results)) {
        renderEvalSummary(section, results, context, name);
        if (isSliceReport(results.slices)) renderSliceView(section, results.slices, context, name);
      }
      break;
    case 'ablate':
      if (isAblation(results)) {
        const slots = [...new Map(results.results.map((r) => [r.slot, { name: r.slot, inputs: r.inputs }])).values()];
        renderImpactView(
          section,
          {
            title: `${record.id} impact`,
            configFile: record.config.file,
            slots,
            ablation: { ...results, ...ref },
            ceiling: null,
          },
          context,
          { interactive: false },
        );
      }
      break;
    case 'lis':
      if (isLis(results))
        renderLisView(
          section,
          { title: `${record.id} LIS`, configFile: record.config.file, lis: { ...results, ...ref } },
          context,
          { interactive: false },
        );
      break;
    case 'ceiling':
      if (isCeiling(results)) renderCeilingTable(section, results, context, name);
      break;
  }
  if (!section.childElementCount) section.append(renderOtherResults(results));
  body.append(section);
  container.append(body);
}

function isAblation(value: unknown): value is AblationResult {
  const r = value as Partial<AblationResult> | null;
  return !!r && Array.isArray(r.results) && !!r.baseline;
}

function isLis(value: unknown): value is LisResult {
  const r = value as Partial<LisResult> | null;
  return !!r && Array.isArray(r.preferences) && Array.isArray(r.tables) && Array.isArray(r.diagnosis);
}

function isCeiling(value: unknown): value is CeilingResult {
  const r = value as Partial<CeilingResult> | null;
  return (
    !!r && Array.isArray(r.results) && r.results.every((x) => typeof (x as Partial<CeilingRow>).ceiling === 'number')
  );
}

function renderCeilingTable(container: HTMLElement, result: CeilingResult, context: ViewContext, name: string): void {
  const table = new DataTable<CeilingRow>({
    caption: 'Slot ceilings: AUC(oracle) − AUC(mask) against the realised AUC(full) − AUC(mask)',
    columns: [
      { id: 'slot', header: 'Slot', sortValue: (r) => r.slot, cell: (r) => r.slot },
      { id: 'candidates', header: 'Candidates', numeric: true, cell: (r) => String(r.candidates) },
      numberColumn('full', 'AUC full', (r) => r.aucFull, formatMetric, 'auc_full', { sortable: false }),
      numberColumn('mask', 'AUC mask', (r) => r.aucMask, formatMetric, 'auc_mask', { sortable: false }),
      numberColumn('oracle', 'AUC oracle', (r) => r.aucOracle, formatMetric, 'auc_oracle', { sortable: false }),
      numberColumn('ceiling', 'Ceiling', (r) => r.ceiling, formatPlain, 'ceiling'),
      numberColumn('realised', 'Realised', (r) => r.realised, formatPlain, 'realised'),
      numberColumn('efficiency', 'Efficiency', (r) => r.efficiency, formatRatio, 'efficiency'),
    ],
    rowKey: (r) => r.slot,
    ...tableSort(context, 'ceiling', { column: 'ceiling', descending: true }),
  });
  table.setRows(result.results);
  const figure = createFigure(
    { title: 'Slot ceilings', exportName: `${name}-ceiling`, csv: () => table.toCsv() },
    context.exporter,
  );
  figure.body.append(table.element);
  container.append(figure.element);
}

/** Results of a kind this panel has no view for: their top-level numbers and words. */
function renderOtherResults(results: unknown): HTMLElement {
  if (typeof results !== 'object' || results === null) return note('This run recorded no results.');
  const facts = Object.entries(results as Record<string, unknown>)
    .filter(([, value]) => ['number', 'string', 'boolean'].includes(typeof value))
    .map(([term, value]) => ({ term, value: typeof value === 'number' ? formatPlain(value) : String(value) }));
  return facts.length
    ? renderFacts(facts, 'Results')
    : note('This kind of run has no summary here: open the record to read its results.');
}
