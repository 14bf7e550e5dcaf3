/** "RecLens: Ablate All Slots" (Features view title): every slot of the config the view shows. */
import * as vscode from 'vscode';
import { chooseConfig } from '../configs';
import { refused, requireTrust } from '../trust';
import type { Services } from './services';

export const ablateAll =
  ({ output, features }: Services) =>
  async () => {
    if (!requireTrust('Ablate All Slots', output)) return refused('Ablate All Slots');
    const uri = features.config ?? (await chooseConfig());
    return uri ? vscode.commands.executeCommand('reclens.runAblation', { configUri: uri }) : undefined;
  };
