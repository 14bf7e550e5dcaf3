/** "RecLens: Create Config": proposes a reclens.json from a model and its data (reads the data's columns). */
import * as vscode from 'vscode';
import { createConfig as proposeAndWriteConfig, CreateConfigArgs } from '../createConfig';
import { refused, requireTrust } from '../trust';
import type { Services } from './services';
import { showError } from '../errorMessage';

export const createConfig =
  ({ output, refreshViews }: Services) =>
  async (args?: CreateConfigArgs) => {
    // Reads the data's columns with DuckDB.
    if (!requireTrust('Create Config', output)) return refused('Create Config');
    try {
      const r = await proposeAndWriteConfig(args instanceof vscode.Uri ? { model: args } : (args ?? {}));
      refreshViews();
      return r;
    } catch (e) {
      void showError(`could not create a config: ${(e as Error).message}`);
      return undefined;
    }
  };
