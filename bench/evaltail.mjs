// Eval's tail after scoring (docs/performance.md, round 6): the read floor (open + decode alone), then a cold eval
// with automatic slices and one without, each with wall, CPU seconds (this process, all threads) and the stages.
// Seed 1, CPU provider, bootstrap 0, the 1,008,350-row MovieLens bench. Asserts nothing; prints figures.
//   node bench/evaltail.mjs [--rows N] [--repeat R] [--no-floor] [--only slices|noslices] [--stages] [outDir ...]
// Each outDir is a compiled tree (default: out); with two or more (e.g. one built from an older commit with
// `npx tsc -p . --outDir /tmp/old`) they run alternately, R times each, and the medians are printed side by side.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { ensureBenchData } from './data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (k) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv.splice(i, 2)[1] : undefined;
};
const flag = (k) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv.splice(i, 1).length > 0 : false;
};
const limit = opt('--rows') ? Number(opt('--rows')) : undefined;
const repeat = Number(opt('--repeat') ?? 1);
const onlyWhich = opt('--only');
const noFloor = flag('--no-floor');
const stages = flag('--stages');
const dirs = argv.length ? argv : [path.join(root, 'out')];
const engines = dirs.map((d) => {
  const req = createRequire(path.join(path.resolve(d), 'x.js'));
  return {
    dir: d,
    requireConfig: req('./src/engine/config/loadConfig.js').requireConfig,
    evaluate: req('./src/engine/evaluate.js').evaluate,
    openWorkspace: req('./src/engine/workspace.js').openWorkspace,
    streamBatches: req('./src/engine/data/batches.js').streamBatches,
    forgetRows: req('./src/engine/data/rowCache.js').forgetRows,
  };
});
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () => os.loadavg()[0].toFixed(1);
const cfgFile = await ensureBenchData();
const { config } = engines[0].requireConfig(cfgFile);
const cold = (e) => {
  e.forgetRows();
  fs.rmSync(path.join(path.dirname(cfgFile), '.reclens', 'cache'), { recursive: true, force: true });
};
async function measure(e, what, fn) {
  cold(e);
  const l0 = load();
  const t = performance.now(),
    c = cpuNow();
  const r = await fn();
  const wall = (performance.now() - t) / 1000,
    cpu = cpuNow() - c;
  const timings = r?.record?.timings;
  console.log(
    `${e.dir} ${what}: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s cpu [load ${l0} -> ${load()}]` +
      (timings
        ? `; open ${timings.openSeconds.toFixed(2)} s, scoring ${timings.inferenceSeconds.toFixed(2)} s, metrics ${timings.metricsSeconds.toFixed(2)} s, ${r.result.slices?.slices.length ?? 0} slices`
        : ''),
  );
  return { wall, cpu, r };
}
// --stages (round 8): what runs after the last score, step by step on this thread: the one sort, the base metrics
// and curves, the slice metrics (prepareSlices), each tree's in turn on the same scores and slice masks (scored once
// by the first tree), results compared. CPU seconds of this process per step.
if (stages) {
  const reqOf = (e) => createRequire(path.join(path.resolve(e.dir), 'x.js'));
  const first = reqOf(engines[0]);
  const { ws, rs } = await first('./src/engine/job.js').openWorkspaceAndSession(config, ['cpu']);
  const scored = await first('./src/engine/evaluate.js').scoreWorkspace(ws, rs, { limit });
  await rs.close();
  const { masks, notes } = await first('./src/engine/slices/evalSlices.js').evalSlices(ws, scored.labels.length);
  ws.close();
  const steps = engines.map((e) => {
    const req = reqOf(e);
    return {
      sortScores: req('./src/engine/metrics/argsort.js').sortScores,
      computeBaseMetrics: req('./src/engine/metrics/baseMetrics.js').computeBaseMetrics,
      prepareSlices: req('./src/engine/slices/sliceMetrics.js').prepareSlices,
    };
  });
  const times = new Map(),
    outs = new Map();
  const step = (e, what, fn) => {
    const c = cpuNow();
    const r = fn();
    const id = `${what}\t${e.dir}`;
    times.set(id, [...(times.get(id) ?? []), cpuNow() - c]);
    const json = JSON.stringify(r?.report ?? r);
    if (outs.has(what) && outs.get(what) !== json) console.log(`  ${what}: results DIFFER (${e.dir})`);
    outs.set(what, json);
    return r;
  };
  console.log(`${scored.labels.length} rows, ${masks.length} slices [load ${load()}]`);
  for (let k = 0; k < repeat; k++)
    engines.forEach((e, j) => {
      const f = steps[j];
      const sorted = step(e, 'sort', () => f.sortScores(scored.scores, scored.labels));
      step(e, 'base metrics + curves', () =>
        f.computeBaseMetrics({ ...scored, groupCount: scored.groupCount, curves: true, sorted }),
      );
      step(e, 'slice metrics', () =>
        f.prepareSlices({ ...scored, slices: masks, bootstrap: 0, seed: 1, sorted }, notes),
      );
    });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  console.log(`cpu s, medians of ${repeat} (each run in brackets) [load ${load()}]:`);
  for (const what of outs.keys())
    console.log(
      `  ${what}: ` +
        engines
          .map((e) => {
            const xs = times.get(`${what}\t${e.dir}`);
            return `${e.dir} ${median(xs).toFixed(3)} (${xs.map((x) => x.toFixed(2)).join(' ')})`;
          })
          .join('  |  '),
    );
  process.exit(0);
}
const cases = [];
if (!noFloor) cases.push(['floor', 'open + decode alone (read floor)', (e) => floor(e)]);
for (const slices of [true, false])
  if (!onlyWhich || onlyWhich === (slices ? 'slices' : 'noslices'))
    cases.push([
      slices ? 'on' : 'off',
      `eval cold, slices ${slices ? 'on' : 'off'}`,
      (e) => e.evaluate(config, { providers: ['cpu'], limit, bootstrap: 0, seed: 1, slices }),
    ]);
async function floor(e) {
  const ws = await e.openWorkspace(config);
  const stats = { rows: 0, groupKeys: [], missingKeys: {} };
  for await (const b of e.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats, undefined, limit)) void b;
  ws.close();
}
const got = new Map();
const results = new Map();
for (let k = 0; k < repeat; k++)
  for (const [key, what, fn] of cases)
    for (const e of engines) {
      const m = await measure(e, what, () => fn(e));
      const id = `${e.dir}\t${key}`;
      got.set(id, [...(got.get(id) ?? []), m]);
      if (m.r?.result) {
        const json = JSON.stringify(m.r.result, (name, v) => (name === 'seconds' ? undefined : v));
        if (results.has(key) && results.get(key) !== json) console.log(`  ${key}: results DIFFER from the first run`);
        results.set(key, json);
      }
    }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`medians of ${repeat} (wall s / cpu s):`);
for (const [key, what] of cases)
  console.log(
    `  ${what}: ` +
      engines
        .map((e) => {
          const ms = got.get(`${e.dir}\t${key}`);
          return `${e.dir} ${median(ms.map((m) => m.wall)).toFixed(2)} / ${median(ms.map((m) => m.cpu)).toFixed(2)}`;
        })
        .join('  |  '),
  );
if (results.size)
  console.log(`results: ${engines.length > 1 ? 'identical across the trees' : 'recorded'} (eval JSON less seconds)`);
