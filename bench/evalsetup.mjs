// What bench/decodethread.mjs and bench/evaltail.mjs share: their arguments, the compiled trees they compare (one
// engine per outDir, alternated by the callers), CPU seconds, the cold start and the read floor, the medians.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { ensureBenchData } from './data.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The command line after `node script`: opt('--k') takes `--k value` out of it, flag('--k') takes `--k`. */
export function args() {
  const argv = process.argv.slice(2);
  return {
    argv,
    opt: (k) => {
      const i = argv.indexOf(k);
      return i >= 0 ? argv.splice(i, 2)[1] : undefined;
    },
    flag: (k) => {
      const i = argv.indexOf(k);
      return i >= 0 ? argv.splice(i, 1).length > 0 : false;
    },
  };
}

/** One engine per compiled tree (`npx tsc -p . --outDir /tmp/old/out` from an older commit; default: out). */
export function engines(dirs) {
  return (dirs.length ? dirs : [path.join(root, 'out')]).map((d) => {
    const req = createRequire(path.join(path.resolve(d), 'x.js'));
    return {
      dir: d,
      req,
      requireConfig: req('./src/engine/config/loadConfig.js').requireConfig,
      evaluate: req('./src/engine/evaluate.js').evaluate,
      openWorkspace: req('./src/engine/workspace.js').openWorkspace,
      streamBatches: req('./src/engine/data/batches.js').streamBatches,
      forgetRows: req('./src/engine/data/rowCache.js').forgetRows,
      // Round 9 keeps a job's inference worker for the next job; a cold start has none (older trees: no keeper).
      releaseKept: fs.existsSync(path.join(path.resolve(d), 'src/engine/model/sessionKeeper.js'))
        ? req('./src/engine/model/sessionKeeper.js').releaseKeptSessions
        : async () => undefined,
    };
  });
}

/** CPU seconds of this process, all threads. */
export const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
export const load = () => os.loadavg()[0].toFixed(1);
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** The 1,008,350-row MovieLens bench (made once), its config read by the first tree, and a cold start for a tree. */
export async function benchConfig(first) {
  const cfgFile = await ensureBenchData();
  const { config } = first.requireConfig(cfgFile);
  const cold = async (e) => {
    await e.releaseKept();
    e.forgetRows();
    fs.rmSync(path.join(path.dirname(cfgFile), '.reclens', 'cache'), { recursive: true, force: true });
  };
  return { cfgFile, config, cold };
}

/** The read floor: open + decode alone (the scoring stream without a model). */
export async function floor(e, config, limit) {
  const ws = await e.openWorkspace(config);
  const stats = { rows: 0, groupKeys: [], missingKeys: {} };
  for await (const b of e.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats, undefined, limit)) void b;
  ws.close();
}

/** The eval JSON less `seconds`, to compare runs and trees. */
export const resultJson = (result) => JSON.stringify(result, (name, v) => (name === 'seconds' ? undefined : v));
