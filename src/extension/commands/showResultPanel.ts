/** "RecLens: Show Feature Impact" and "Show LIS": a config's latest ablation / ceiling or LIS runs in a panel. */
import type * as vscode from 'vscode';
import { chooseConfig } from '../configs';
import type { Services } from './services';

export const showResultPanel =
  ({ context }: Services, kind: 'impact' | 'lis') =>
  async (arg?: unknown) => {
    const uri = await chooseConfig((arg as { configUri?: vscode.Uri })?.configUri ?? arg);
    if (!uri) return undefined;
    const { ResultPanel, featureImpactData, lisData } = await import('../panels/resultsPanelHost');
    const refresh = async () => {
      try {
        return kind === 'impact'
          ? { type: 'impact' as const, data: await featureImpactData(uri.fsPath) }
          : { type: 'lis' as const, data: lisData(uri.fsPath) };
      } catch (e) {
        return { type: 'error' as const, message: (e as Error).message };
      }
    };
    return ResultPanel.show(
      kind,
      uri.fsPath,
      kind === 'impact' ? 'RecLens: Feature Impact' : 'RecLens: LIS',
      context.extensionUri,
      refresh,
      uri.fsPath,
    );
  };
