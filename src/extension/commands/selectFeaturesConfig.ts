/**
 * "RecLens: Choose Config for Features": which config's slots the Features view lists. Given a config (a Uri or a
 * tree item), that one; else as chooseConfig picks (the active editor's config, the only one, or the user's pick).
 * Returns the config chosen, or undefined when none was.
 */
import type * as vscode from 'vscode';
import { chooseConfig } from '../configs';
import type { Services } from './services';

export const selectFeaturesConfig =
  ({ features }: Services) =>
  async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const uri = await chooseConfig(arg);
    if (uri) {
      features.config = uri;
      features.refresh();
    }
    return uri;
  };
