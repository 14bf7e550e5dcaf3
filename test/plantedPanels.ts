/**
 * Result-panel data from REAL engine runs on examples/planted (whose truths are known), for the Chromium tests of the
 * Feature Impact, LIS and Run panels (resultPanels, accessibility): ablation, ceiling, LIS, two evaluations (the
 * second on a worse model B) and their comparison, seeded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ablate } from '../src/engine/ablation/ablate';
import { ceiling } from '../src/engine/ablation/ceiling';
import { compareRuns } from '../src/engine/compare';
import { requireConfig } from '../src/engine/config/loadConfig';
import { evaluate } from '../src/engine/evaluate';
import { lis, type LisOptions } from '../src/engine/lis/lis';
import type { RunRecord } from '../src/engine/runs/runRecord';
import { setAllowedFolders } from '../src/engine/util/fileRoots';
import type { FeatureImpactData, LisPanelData, RunPanelData, RunRef } from '../src/protocol/results';
import { ROOT, tempDir } from './helpers';

export const PLANTED = path.join(ROOT, 'examples', 'planted', 'reclens.json');
export const SEED = 7;

export const refOf = (record: RunRecord): RunRef => ({
  runId: record.id,
  createdAt: record.createdAt,
  seed: record.seed,
  executionProvider: record.executionProvider,
});

/** The planted workspace with the `strong` slot's four columns fed in another order: a worse model B on the same rows. */
function shuffledStrongConfig(): string {
  const dir = path.dirname(PLANTED);
  const abs = (file: string) => path.join(dir, file);
  setAllowedFolders([dir]); // a config in a temp folder naming the example's files (outside its own folder)
  const config = {
    name: 'Planted, strong columns shuffled',
    model: { path: abs('model.onnx'), output: 'logit', outputKind: 'logit' },
    data: { path: abs('eval.csv'), label: 'label', group: 'user_id', item: 'item_id', time: 'time' },
    tables: { item_raw: { path: abs('tables/item_raw.npy'), ids: abs('tables/item_ids.npy') } },
    inputs: {
      leak: { column: 'leak' },
      strong: { columns: ['s2', 's0', 's3', 's1'] },
      useless: { columns: ['u0', 'u1', 'u2', 'u3'] },
      item_emb: { table: 'item_raw', key: 'item_id' },
    },
    runtime: { executionProviders: ['cpu'], batchSize: 4096 },
  };
  const file = path.join(tempDir('reclens-panels-'), 'reclens.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * The three result panels' data, every interval from `bootstrap` replicates (LIS also takes `lisOptions`), and the
 * records behind them that the tests check the panels against.
 */
export async function plantedPanelData(bootstrap: number, lisOptions: Partial<LisOptions> = {}) {
  const planted = () => requireConfig(PLANTED).config;
  const common = { seed: SEED, providers: ['cpu' as const] };
  const ablation = await ablate(planted(), { ...common, repeats: 2, bootstrap });
  const ceil = await ceiling(planted(), { ...common, candidates: 8 });
  const lisRun = await lis(planted(), { ...common, bootstrap, substitution: true, ...lisOptions });
  const evalA = await evaluate(planted(), { ...common, bootstrap });
  const evalB = await evaluate(requireConfig(shuffledStrongConfig()).config, { ...common, bootstrap });
  const comparison = await compareRuns(evalA.record, evalB.record, { bootstrap, seed: SEED });
  const config = planted();
  const slots = Object.entries(config.raw.slots as Record<string, { inputs: string[]; description?: string }>).map(
    ([name, slot]) => ({ name, inputs: slot.inputs, description: slot.description }),
  );
  const impact: FeatureImpactData = {
    title: 'Planted truths: feature impact',
    configFile: PLANTED,
    slots,
    ablation: { ...ablation.result, ...refOf(ablation.record) },
    ceiling: { ...ceil.result, ...refOf(ceil.record) },
  };
  const lisPanel: LisPanelData = {
    title: 'Planted truths: LIS',
    configFile: PLANTED,
    lis: { ...lisRun.result, ...refOf(lisRun.record) },
  };
  const run: RunPanelData = { title: `Run ${evalA.record.id}`, record: evalA.record, comparison };
  return { impact, lis: lisPanel, run, ablationRecord: ablation.record, evalB: evalB.record };
}
