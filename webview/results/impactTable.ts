/** The impact table's columns: the chart's numbers with intervals, plus selection and reveal when the view is interactive. */
import type { AblationMethod } from '../../src/protocol/results';
import { element } from '../shared/dom';
import { createCheckbox } from '../ui/toolkit';
import { intervalColumn, numberColumn } from './columns';
import type { Column } from './dataTable';
import { formatDelta, formatPlain, formatRatio } from './format';
import { METHOD_LABELS, METRICS, type SlotImpact } from './impactRows';
import type { ImpactMetric } from './uiState';

export interface ImpactColumnsInput {
  metric: ImpactMetric;
  methods: readonly AblationMethod[];
  withCeiling: boolean;
  /** Present when slots can be selected and revealed (the Feature Impact panel, not a run's summary). */
  interaction?: {
    isSelected(slot: string): boolean;
    onSelect(slot: string, selected: boolean): void;
    onReveal(slot: string): void;
  };
}

export function impactColumns(input: ImpactColumnsInput): Column<SlotImpact>[] {
  const metric = METRICS.find((m) => m.id === input.metric)!.label;
  const columns: Column<SlotImpact>[] = [];
  const interaction = input.interaction;
  if (interaction) {
    columns.push({
      id: 'select',
      header: 'Select',
      description: 'Tick slots to ablate them as a group, each alone, or to run their ceiling',
      cell: (row) =>
        createCheckbox({
          label: `Select ${row.slot}`,
          hideLabel: true,
          checked: interaction.isSelected(row.slot),
          onChange: (on) => interaction.onSelect(row.slot, on),
        }).element,
      csv: { headers: [], values: () => [] },
    });
  }
  columns.push({
    id: 'slot',
    header: 'Slot',
    sortValue: (row) => row.slot,
    cell: (row) => {
      if (!interaction || !row.configured) {
        const name = element('span', 'slot-name', row.slot);
        if (row.description) name.title = row.description;
        return name;
      }
      const link = element('button', 'link-button', row.slot);
      link.type = 'button';
      link.title = `Reveal ${row.slot} in reclens.json${row.description ? `: ${row.description}` : ''}`;
      link.addEventListener('click', () => interaction.onReveal(row.slot));
      return link;
    },
    csv: { headers: ['slot'], values: (row) => [row.slot] },
  });
  columns.push({
    id: 'inputs',
    header: 'Inputs',
    cell: (row) => row.inputs.join(', '),
    csv: { headers: ['inputs'], values: (row) => [row.inputs.join(' ')] },
  });
  for (const method of input.methods) {
    const label = METHOD_LABELS[method];
    columns.push(
      numberColumn(
        `impact-${method}`,
        `${label} Δ${metric}`,
        (row: SlotImpact) => row.impacts[method]?.value ?? null,
        formatDelta,
        `${method}_delta_${input.metric}`,
        { description: `${label} ablation: impact on ${metric}` },
      ),
      intervalColumn(
        `interval-${method}`,
        `${label} 95% interval`,
        (row: SlotImpact) => row.impacts[method]?.interval,
        [`${method}_low`, `${method}_high`],
        { description: 'Group-bootstrap 95% percentile interval' },
      ),
    );
  }
  if (input.withCeiling) {
    columns.push({
      id: 'ceiling',
      header: 'Ceiling (AUC)',
      numeric: true,
      description: 'AUC(oracle) − AUC(mask): how far this frozen ranker can swing through the slot',
      sortValue: (row) => row.ceiling?.ceiling ?? null,
      cell: (row) => (row.ceiling ? formatPlain(row.ceiling.ceiling) : '—'),
      csv: { headers: ['ceiling_auc'], values: (row) => [row.ceiling?.ceiling ?? null] },
    });
    columns.push({
      id: 'efficiency',
      header: 'Efficiency',
      numeric: true,
      description: 'Realised / ceiling',
      sortValue: (row) => row.ceiling?.efficiency ?? null,
      cell: (row) => (row.ceiling ? formatRatio(row.ceiling.efficiency) : '—'),
      csv: { headers: ['efficiency'], values: (row) => [row.ceiling?.efficiency ?? null] },
    });
  }
  return columns;
}
