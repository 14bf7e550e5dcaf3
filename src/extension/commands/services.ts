/** What the command handlers share: created once by activate() and handed to each command's factory. */
import type * as vscode from 'vscode';
import type { FeaturesTree } from '../featuresTree';
import type { RunManager } from '../runManager';
import type { RunsTree } from '../runsTree';

export interface Services {
  context: vscode.ExtensionContext;
  output: vscode.OutputChannel;
  runs: RunManager;
  runsTree: RunsTree;
  features: FeaturesTree;
  /** Re-reads configs and run records into the views and code lenses (after a file changed or was created). */
  refreshViews(): void;
}
