/**
 * A titled block of the panel (a chart, a table, or a chart with its table alternative) with its export buttons:
 * SVG and PNG for the chart, CSV for the table. The callbacks read the CURRENT chart and rows when clicked, so a
 * figure whose content is redrawn (sort, filter, metric) never exports a stale copy.
 */
import { element } from '../shared/dom';
import { createButton } from '../ui/toolkit';
import type { Exporter } from './exporter';

export interface FigureOptions {
  title: string;
  /** Exported file names: `${exportName}.svg` / `.png` / `.csv`. */
  exportName: string;
  /** A sentence under the title: what is drawn and how to read it. */
  caption?: string;
  chart?: () => SVGSVGElement | null;
  csv?: () => string;
}

export interface Figure {
  element: HTMLElement;
  body: HTMLElement;
  /** Extra controls next to the export buttons. */
  actions: HTMLElement;
}

export function createFigure(options: FigureOptions, exporter: Exporter): Figure {
  const section = element('section', 'figure');
  section.dataset.figure = options.exportName;
  const header = element('header', 'figure-header');
  const heading = element('h2', 'figure-title', options.title);
  heading.id = `figure-${options.exportName}`;
  section.setAttribute('aria-labelledby', heading.id);
  const actions = element('div', 'figure-actions');
  const exports = element('div', 'export-buttons');
  exports.setAttribute('role', 'group');
  exports.setAttribute('aria-label', `Export ${options.title}`);
  const { chart, csv } = options;
  if (chart) {
    exports.append(
      createButton({
        label: 'SVG',
        title: `Export the ${options.title} chart as SVG`,
        onClick: () => {
          const svg = chart();
          if (svg) exporter.svg(svg, options.exportName);
        },
      }),
      createButton({
        label: 'PNG',
        title: `Export the ${options.title} chart as PNG`,
        onClick: () => {
          const svg = chart();
          if (svg) void exporter.png(svg, options.exportName);
        },
      }),
    );
  }
  if (csv)
    exports.append(
      createButton({
        label: 'CSV',
        title: `Export the ${options.title} table as CSV`,
        onClick: () => exporter.csv(csv(), options.exportName),
      }),
    );
  for (const button of exports.children) button.setAttribute('aria-label', (button as HTMLElement).title);
  actions.append(exports);
  header.append(heading, actions);
  section.append(header);
  if (options.caption) section.append(element('p', 'figure-caption', options.caption));
  const body = element('div', 'figure-body');
  section.append(body);
  return { element: section, body, actions };
}
