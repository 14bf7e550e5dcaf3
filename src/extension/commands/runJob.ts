/** "RecLens: Run Ablation", "Run Ceiling" and "Run LIS": one job of the run manager on a chosen config. */
import type * as vscode from 'vscode';
import { chooseConfig } from '../configs';
import type { JobArgs, JobKind } from '../runManager';
import type { Services } from './services';

export const runJob =
  ({ runs, runsTree }: Services, kind: JobKind) =>
  async (arg?: unknown) => {
    const a = arg as (JobArgs & { configUri?: vscode.Uri }) | undefined;
    const uri = await chooseConfig(a?.configUri ? a.configUri : arg);
    if (!uri) return undefined;
    const outcome = await runs.run(kind, uri, a); // every option of the job's registry entry, checked there
    runsTree.refresh();
    return outcome;
  };
