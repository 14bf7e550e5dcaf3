/** "RecLens: Evaluate": scores the config's data and records the run (the run manager checks trust). */
import { chooseConfig } from '../configs';
import type { Services } from './services';

export const evaluate =
  ({ runs, runsTree }: Services) =>
  async (arg?: unknown) => {
    const uri = await chooseConfig(arg);
    if (!uri) return undefined;
    const outcome = await runs.evaluate(uri);
    runsTree.refresh();
    return outcome;
  };
