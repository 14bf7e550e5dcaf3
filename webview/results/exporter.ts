/** Sends exported charts (SVG text, PNG bytes) and tables (CSV text) to the host, which asks where to save them. */
import type { ExportFormat, PanelReply } from '../../src/protocol/results';
import type { PanelHost } from './resultsChannel';
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

/** Each export is a request: `report` shows the host's reply ("Saved …", or why not) in the panel. */
export function createExporter(
  host: PanelHost,
  report: (outcome: Pick<PanelReply, 'ok' | 'message'>) => void,
): Exporter {
  const fileName = (name: string, format: ExportFormat) => `${name}.${format}`;
  return {
    svg(chart, name) {
      void host
        .request({
          type: 'export',
          format: 'svg',
          suggestedName: fileName(name, 'svg'),
          text: standaloneSvg(chart, background()).text,
        })
        .then(report);
    },
    async png(chart, name) {
      let bytes: Uint8Array;
      try {
        bytes = await svgToPng(standaloneSvg(chart, background()));
      } catch (error) {
        report({
          ok: false,
          message: `Could not render the PNG: ${error instanceof Error ? error.message : String(error)}`,
        });
        return;
      }
      report(await host.request({ type: 'export', format: 'png', suggestedName: fileName(name, 'png'), bytes }));
    },
    csv(text, name) {
      void host.request({ type: 'export', format: 'csv', suggestedName: fileName(name, 'csv'), text }).then(report);
    },
  };
}
