/**
 * The Feature Impact view: filter and metric controls, the impact chart (ceiling behind realised), its table
 * alternative, segment small multiples, and (when interactive) slot selection with group / single ablation and
 * ceiling runs. Used by the Feature Impact panel and, read-only, by the Run panel for ablation runs.
 */
import type { AblationMethod, FeatureImpactData } from '../../src/protocol/results';
import { element, note } from '../shared/dom';
import { createButton, createCheckbox, createRadioGroup, createTextField, setDisabled } from '../ui/toolkit';
import { DataTable } from './dataTable';
import { createFigure } from './figure';
import { formatCount, formatMetric, formatSeconds, slug } from './format';
import { renderImpactChart } from './impactChart';
import { impactColumns } from './impactTable';
import { METRICS, methodsOf, slotImpacts, visibleRows, type SlotImpact } from './impactRows';
import { runMetaLine } from './runMeta';
import { renderSegmentMultiples } from './segmentMultiples';
import { segmentColumns, segmentRows, type SegmentRow } from './segmentTable';
import type { ImpactMetric } from './uiState';
import { tableSort, type ViewContext } from './viewContext';

export interface ImpactViewOptions {
  /** Selection, reveal and run buttons: the Feature Impact panel. A run's summary is read-only. */
  interactive: boolean;
}

export function renderImpactView(
  container: HTMLElement,
  data: FeatureImpactData,
  context: ViewContext,
  options: ImpactViewOptions,
): void {
  if (!data.ablation) {
    container.append(emptyImpactState(data, context, options));
    return;
  }
  new ImpactView(container, data, context, options);
}

function emptyImpactState(data: FeatureImpactData, context: ViewContext, options: ImpactViewOptions): HTMLElement {
  const section = element('section', 'empty-state');
  section.append(
    element('h2', undefined, 'No ablation run yet'),
    note(
      `Ablation measures what each slot of ${data.configFile} contributes today: its inputs are masked (neutral value) or permuted across rows, and the drop in AUC, GAUC and LogLoss is its impact, with group-bootstrap intervals.`,
    ),
  );
  if (options.interactive) {
    const slots = data.slots.map((s) => s.name);
    section.append(
      createButton({
        label: slots.length ? `Run ablation on all ${slots.length} slots` : 'Run ablation',
        appearance: 'primary',
        onClick: () => context.host.post({ type: 'runAblation', slots, together: false }),
      }),
    );
  }
  if (data.slots.length) {
    const list = element('ul', 'slot-list');
    for (const slot of data.slots) {
      const item = element('li');
      item.append(
        element('strong', undefined, slot.name),
        document.createTextNode(` (${slot.inputs.join(', ')})${slot.description ? `: ${slot.description}` : ''}`),
      );
      list.append(item);
    }
    section.append(list);
  }
  return section;
}

class ImpactView {
  private readonly methods: AblationMethod[];
  private readonly metrics: typeof METRICS;
  private readonly chartHost = element('div', 'chart-host');
  private readonly chartNote = note('', 'figure-note');
  private readonly tableHost = element('div', 'table-host');
  private readonly segmentsHost = element('div', 'chart-host');
  private readonly segmentsTableHost = element('div', 'table-host');
  private readonly selectionStatus = element('span', 'selection-status');
  private readonly selectionButtons:
    { group: HTMLElement; each: HTMLElement; ceiling: HTMLElement; rows: HTMLElement } | undefined;
  private table: DataTable<SlotImpact> | undefined;
  private segmentsTable: DataTable<SegmentRow> | undefined;
  private chart: SVGSVGElement | null = null;
  private segmentsChart: SVGSVGElement | null = null;
  private rows: SlotImpact[] = [];

  constructor(
    container: HTMLElement,
    private readonly data: FeatureImpactData,
    private readonly context: ViewContext,
    private readonly options: ImpactViewOptions,
  ) {
    const ablation = data.ablation!;
    this.methods = methodsOf(data);
    this.metrics = METRICS.filter((m) => m.id !== 'gauc' || ablation.results.some((r) => r.deltaGauc !== null));
    const name = slug(data.title);
    const state = context.store.current;
    if (!this.metrics.some((m) => m.id === state.impactMetric)) context.store.update({ impactMetric: 'auc' });

    const base = ablation.baseline;
    container.append(
      runMetaLine(ablation, [
        `${formatCount(ablation.rows)} rows`,
        `baseline AUC ${formatMetric(base.auc)}${base.gauc !== null ? ` · GAUC ${formatMetric(base.gauc)}` : ''} · LogLoss ${formatMetric(base.logloss)}`,
        ablation.bootstrap
          ? `bootstrap ${ablation.bootstrap.replicates} by ${ablation.bootstrap.unit}`
          : 'no bootstrap (no intervals)',
        `${ablation.inferencePasses} inference passes · ${formatSeconds(ablation.seconds)}`,
      ]),
    );
    if (data.ceiling)
      container.append(
        runMetaLine(data.ceiling, [
          `ceiling of ${data.ceiling.results.length} slots`,
          candidatesText(data.ceiling.results),
        ]),
      );

    container.append(this.toolbar());
    if (options.interactive) {
      const bar = element('div', 'selection-bar');
      bar.setAttribute('role', 'toolbar');
      bar.setAttribute('aria-label', 'Selected slots');
      this.selectionStatus.setAttribute('role', 'status');
      this.selectionButtons = {
        group: createButton({
          label: 'Ablate as group',
          title: 'Ablate the selected slots together, as one group ("a+b")',
          onClick: () => this.runAblation(true),
        }),
        each: createButton({
          label: 'Ablate each',
          title: 'Ablate each selected slot alone',
          onClick: () => this.runAblation(false),
        }),
        ceiling: createButton({
          label: 'Run ceiling',
          title: 'Measure the ceiling of the selected slots (label leakage into each slot, frozen ranker)',
          onClick: () => this.runCeiling(),
        }),
        rows: createButton({
          label: 'Rows where it matters most',
          title: "Open the rows explorer sorted by how much the selected slot moves each row's probability when masked",
          onClick: () => {
            if (this.selected.length === 1) this.context.host.post({ type: 'showRows', slot: this.selected[0] });
          },
        }),
      };
      const clear = createButton({ label: 'Clear selection', onClick: () => this.setSelection([]) });
      bar.append(
        this.selectionStatus,
        this.selectionButtons.group,
        this.selectionButtons.each,
        this.selectionButtons.ceiling,
        this.selectionButtons.rows,
        clear,
      );
      container.append(bar);
    }

    const impact = createFigure(
      {
        title: 'Impact by slot',
        exportName: `${name}-impact`,
        caption:
          "Each slot's impact when its inputs are masked or permuted, with the 95% group-bootstrap interval. On AUC, the pale bar behind the mask bar is the slot's ceiling: how far this frozen ranker could swing through it.",
        chart: () => this.chart,
        csv: () => this.table?.toCsv() ?? '',
      },
      context.exporter,
    );
    impact.body.append(this.chartHost, this.chartNote, this.tableHost);
    container.append(impact.element);

    if (ablation.segments?.length) {
      const segments = createFigure(
        {
          title: 'Impact within segments',
          exportName: `${name}-segments`,
          caption:
            'ΔAUC within cold / warm / hot items and users (point estimates; permutations averaged over repeats). One scale for all panels.',
          chart: () => this.segmentsChart,
          csv: () => this.segmentsTable?.toCsv() ?? '',
        },
        context.exporter,
      );
      const details = element('details', 'table-details');
      details.append(element('summary', undefined, 'Segments as a table'), this.segmentsTableHost);
      segments.body.append(this.segmentsHost, details);
      container.append(segments.element);
    }
    this.rebuild();
  }

  private get metric(): ImpactMetric {
    return this.context.store.current.impactMetric ?? 'auc';
  }

  private toolbar(): HTMLElement {
    const state = this.context.store.current;
    const toolbar = element('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', 'Impact controls');
    const filter = createTextField({
      placeholder: 'Filter slots',
      ariaLabel: 'Filter slots by name',
      onInput: (value) => {
        this.context.store.update({ impactFilter: value });
        this.refreshRows();
      },
    });
    filter.value = state.impactFilter ?? '';
    const hideNull = createCheckbox({
      label: 'Hide slots whose interval contains 0',
      checked: !!state.impactHideNull,
      onChange: (checked) => {
        this.context.store.update({ impactHideNull: checked });
        this.refreshRows();
      },
    });
    const metric = createRadioGroup({
      label: 'Metric',
      choices: this.metrics.map((m) => ({ value: m.id, label: m.label })),
      value: this.metric,
      onChange: (value) => {
        this.context.store.update({ impactMetric: value as ImpactMetric });
        this.rebuild();
      },
    });
    toolbar.append(filter.element, hideNull.element, metric.element);
    if (this.options.interactive) {
      const all = this.data.slots.map((s) => s.name);
      toolbar.append(
        createButton({
          label: 'Ablate all slots',
          title: 'Run the ablation again on every slot',
          onClick: () => this.context.host.post({ type: 'runAblation', slots: all, together: false }),
        }),
      );
    }
    return toolbar;
  }

  /** New metric: new column headers and numbers, so the table is rebuilt; its sort survives (column ids do not change). */
  private rebuild(): void {
    this.rows = slotImpacts(this.data, this.metric);
    const select = this.options.interactive
      ? {
          isSelected: (slot: string) => this.selected.includes(slot),
          onSelect: (slot: string, on: boolean) => this.toggle(slot, on),
          onReveal: (slot: string) => this.context.host.post({ type: 'revealSlot', slot }),
        }
      : undefined;
    const firstMethod = this.methods[0];
    const saved = tableSort(
      this.context,
      'impact',
      firstMethod ? { column: `impact-${firstMethod}`, descending: true } : undefined,
    );
    this.table = new DataTable<SlotImpact>({
      caption: `Impact of each slot on ${METRICS.find((m) => m.id === this.metric)!.label}`,
      columns: impactColumns({
        metric: this.metric,
        methods: this.methods,
        withCeiling: !!this.data.ceiling,
        interaction: select,
      }),
      rowKey: (row) => row.slot,
      className: 'impact-table',
      sort: saved.sort,
      onSortChange: (sort) => {
        saved.onSortChange(sort);
        this.redrawCharts();
      },
    });
    this.tableHost.replaceChildren(this.table.element);
    this.refreshRows();
  }

  private refreshRows(): void {
    const state = this.context.store.current;
    this.table?.setRows(visibleRows(this.rows, { text: state.impactFilter ?? '', hideNull: !!state.impactHideNull }));
    this.redrawCharts();
    this.refreshSelection();
  }

  /** Charts follow the table: same rows, same order. */
  private redrawCharts(): void {
    const rows = [...(this.table?.rows ?? [])];
    this.chart = rows.length
      ? renderImpactChart(rows, {
          metric: this.metric,
          methods: this.methods,
          onSlotClick: this.options.interactive ? (slot) => this.reveal(slot, rows) : undefined,
        })
      : null;
    this.chartHost.replaceChildren(
      ...(this.chart
        ? [this.chart]
        : [note(this.rows.length ? 'No slot matches the filter.' : 'The run has no results.', 'placeholder')]),
    );
    const hidden = this.rows.length - rows.length;
    const ceilingNote = this.data.ceiling
      ? this.metric === 'auc'
        ? ''
        : 'The ceiling is measured on AUC: switch to AUC to see it behind the bars.'
      : this.options.interactive
        ? 'No ceiling run yet: select slots and press "Run ceiling" to see how far each could swing this ranker.'
        : '';
    this.chartNote.textContent = [
      hidden > 0 ? `${hidden} of ${this.rows.length} slots hidden by the filter.` : '',
      ceilingNote,
    ]
      .filter(Boolean)
      .join(' ');
    this.chartNote.hidden = !this.chartNote.textContent;

    const segments = this.data.ablation?.segments;
    if (segments?.length) {
      const slots = rows.map((r) => r.slot);
      this.segmentsChart = slots.length ? renderSegmentMultiples(segments, slots, this.methods) : null;
      this.segmentsHost.replaceChildren(...(this.segmentsChart ? [this.segmentsChart] : []));
      this.segmentsTable ??= new DataTable<SegmentRow>({
        caption: 'Impact on AUC within segments',
        columns: segmentColumns(this.methods),
        rowKey: (r) => `${r.segment}|${r.bucket}|${r.slot}`,
        className: 'segments-table',
      });
      this.segmentsTable.setRows(segmentRows(segments, slots, this.methods));
      if (!this.segmentsTableHost.firstChild) this.segmentsTableHost.append(this.segmentsTable.element);
    }
  }

  private reveal(slot: string, rows: readonly SlotImpact[]): void {
    if (rows.find((r) => r.slot === slot)?.configured) this.context.host.post({ type: 'revealSlot', slot });
  }

  // Selection -------------------------------------------------------------------------------------------------

  /** Selected slots that this run has, in the run's order (the order posted to the host). */
  private get selected(): string[] {
    const chosen = new Set(this.context.store.current.selectedSlots ?? []);
    return this.rows.filter((r) => chosen.has(r.slot)).map((r) => r.slot);
  }

  private toggle(slot: string, on: boolean): void {
    const others = this.selected.filter((s) => s !== slot);
    this.setSelection(on ? [...others, slot] : others);
  }

  private setSelection(slots: string[]): void {
    const order = new Map(this.rows.map((r) => [r.slot, r.order]));
    this.context.store.update({ selectedSlots: [...slots].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)) });
    this.tableHost.querySelectorAll<HTMLElement & { checked: boolean }>('vscode-checkbox').forEach((box) => {
      const slot = box.closest('tr')?.dataset.key;
      if (slot !== undefined) box.checked = this.selected.includes(slot);
    });
    this.refreshSelection();
  }

  private refreshSelection(): void {
    if (!this.selectionButtons) return;
    const selected = this.selected;
    const visible = new Set(this.table?.rows.map((r) => r.slot));
    const hidden = selected.filter((s) => !visible.has(s)).length;
    this.selectionStatus.textContent = selected.length
      ? `${selected.length} selected${hidden ? ` (${hidden} hidden by the filter)` : ''}: ${selected.join(', ')}`
      : 'Tick slots to ablate them as a group or alone, or to run their ceiling.';
    setDisabled(this.selectionButtons.group, selected.length < 2);
    setDisabled(this.selectionButtons.each, selected.length < 1);
    setDisabled(this.selectionButtons.ceiling, selected.length < 1 || selected.some((s) => s.includes('+')));
    setDisabled(this.selectionButtons.rows, selected.length !== 1 || selected[0].includes('+'));
  }

  private runAblation(together: boolean): void {
    const slots = this.selected;
    if (slots.length) this.context.host.post({ type: 'runAblation', slots, together });
  }

  private runCeiling(): void {
    const slots = this.selected;
    if (slots.length) this.context.host.post({ type: 'runCeiling', slots });
  }
}

/** Candidates per slot: one K when every slot used the same, else each slot's (a slot with fewer values gets fewer). */
export function candidatesText(results: readonly { slot: string; candidates: number }[]): string {
  const ks = new Set(results.map((r) => r.candidates));
  if (ks.size <= 1) return `K = ${results[0]?.candidates ?? '?'} candidates per slot`;
  return `candidates per slot: ${results.map((r) => `${r.slot} ${r.candidates}`).join(', ')}`;
}
