// Eval's tail after scoring (docs/performance.md, round 6): the read floor (open + decode alone), then a cold eval
// with automatic slices and one without, each with wall, CPU seconds (all threads) and the stage timings.
//   node bench/evaltail.mjs [--rows N] [--skip-floor] [--only slices|noslices]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { ensureBenchData } from './data.mjs';

const require = createRequire(import.meta.url);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { evaluate } = require('../out/src/engine/evaluate.js');
const { openWorkspace } = require('../out/src/engine/workspace.js');
const { streamBatches } = require('../out/src/engine/data/batches.js');
const { forgetRows } = require('../out/src/engine/data/rowCache.js');

const arg = (k) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const limit = arg('--rows') ? Number(arg('--rows')) : undefined;
const onlyWhich = arg('--only');
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () => os.loadavg()[0].toFixed(2);
const cfgFile = await ensureBenchData();
const { config } = requireConfig(cfgFile);
const cold = () => {
  forgetRows();
  fs.rmSync(path.join(path.dirname(cfgFile), '.reclens', 'cache'), { recursive: true, force: true });
};
async function measure(what, fn) {
  cold();
  const l0 = load();
  const t = performance.now(),
    c = cpuNow();
  const r = await fn();
  const wall = (performance.now() - t) / 1000,
    cpu = cpuNow() - c;
  console.log(`${what}: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s cpu [load ${l0} -> ${load()}]`);
  return { wall, cpu, r };
}
let floor;
if (!process.argv.includes('--skip-floor'))
  floor = await measure('open + decode alone (read floor)', async () => {
    const ws = await openWorkspace(config);
    const stats = { rows: 0, groupKeys: [], missingKeys: {} };
    for await (const b of streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats, undefined, limit)) void b;
    ws.close();
  });
for (const slices of [true, false]) {
  if (onlyWhich && onlyWhich !== (slices ? 'slices' : 'noslices')) continue;
  const m = await measure(`eval cold, slices ${slices ? 'on' : 'off'}`, () =>
    evaluate(config, { providers: ['cpu'], limit, bootstrap: 0, seed: 1, slices }),
  );
  const t = m.r.record.timings;
  console.log(
    `  open ${t.openSeconds.toFixed(2)} s, scoring ${t.inferenceSeconds.toFixed(2)} s, metrics ${t.metricsSeconds.toFixed(2)} s; auc ${m.r.result.auc}, slices ${m.r.result.slices?.slices.length ?? 0}` +
      (floor ? `; / floor ${(m.wall / floor.wall).toFixed(2)} x wall, ${(m.cpu / floor.cpu).toFixed(2)} x cpu` : ''),
  );
  if (process.env.EVAL_JSON)
    fs.writeFileSync(
      `${process.env.EVAL_JSON}.${slices ? 'on' : 'off'}.json`,
      JSON.stringify(m.r.result, (k, v) => (k === 'seconds' ? undefined : v)),
    );
}
