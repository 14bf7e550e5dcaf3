/** Sends exported charts (SVG text, PNG bytes) and tables (CSV text) to the host, which asks where to save them. */
import type { ExportFormat } from '../../src/protocol/panels';
import type { PanelHost } from './hostChannel';
import { svgToPng } from './pngExport';
import { standaloneSvg } from './svgExport';

export interface Exporter {
  svg(chart: SVGSVGElement, name: string): void;
  png(chart: SVGSVGElement, name: string): Promise<void>;
  csv(text: string, name: string): void;
}

/** The editor background behind exported charts (the body's resolved colour, never a variable). */
function background(): string {
  const colour = getComputedStyle(document.body).backgroundColor;
  return colour && colour !== 'rgba(0, 0, 0, 0)' ? colour : '#ffffff';
}

export function createExporter(host: PanelHost, onError: (message: string) => void): Exporter {
  const fileName = (name: string, format: ExportFormat) => `${name}.${format}`;
  return {
    svg(chart, name) {
      host.post({ type: 'export', format: 'svg', suggestedName: fileName(name, 'svg'), text: standaloneSvg(chart, background()).text });
    },
    async png(chart, name) {
      try {
        const bytes = await svgToPng(standaloneSvg(chart, background()));
        host.post({ type: 'export', format: 'png', suggestedName: fileName(name, 'png'), bytes });
      } catch (error) {
        onError(`Could not render the PNG: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    csv(text, name) {
      host.post({ type: 'export', format: 'csv', suggestedName: fileName(name, 'csv'), text });
    },
  };
}
