/** "RecLens: Show Run": one run record's results in a panel. */
import type { RunNode } from '../runsTree';
import { pickRun } from './pickRun';
import type { Services } from './services';

export const showRun =
  ({ context }: Services) =>
  async (node?: RunNode) => {
    const { ResultPanel, runPanelTitle } = await import('../panels/resultsPanelHost');
    const record = node?.record ?? (await pickRun('Which run?'));
    if (!record) return undefined;
    return ResultPanel.show(
      'run',
      record.id,
      runPanelTitle(record),
      context.extensionUri,
      () => ({ type: 'run', data: { title: runPanelTitle(record), record } }),
      record.config.file,
    );
  };
