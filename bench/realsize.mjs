// A DLRM / DCN-sized ranker (bench/realsize/make_ranker.py: 26 x 64-d embeddings from tables of up to 100k rows,
// 13 dense, MLP 512-256-1; 1M rows, seed 1) built into bench/out/realsize on first use (needs Debian python3-torch
// and python3-onnx). Eval throughput against bare onnxruntime on prebuilt tensors, and ablation / ceiling cost.
// Run by bench/run.mjs; prints one JSON line.
//   node bench/realsize.mjs [--quick] [--rows N] [--batch N] [--threads N] [--eval-only] [--with-limit]
// --batch overrides runtime.batchSize for eval and bare ORT alike (same batches, same threads: onnxruntime's default
// pool in both, which runs one thread on the 2-vCPU VM of docs/performance.md). Besides end-to-end eval it times eval's scoring stage alone (decode on this thread, inference
// in the worker: what "bare ORT on prebuilt tensors" is compared with) and bare ORT with its model load, since a
// 200 MB model's load is a fixed cost of every eval. CPU seconds (process.cpuUsage, all threads) and the load
// average come with each figure: on a shared machine wall time alone misleads.
// --threads N sets onnxruntime's intra-op threads for eval and bare ORT alike (runtime.threads; default: its pool).
// The model cache (.reclens/model-cache, src/engine/model/modelCache.ts) is emptied before eval end to end, which
// then runs twice: a user's first eval of the model (`evalFirstJob*`: its load saves onnxruntime's optimised graph)
// and the next (`eval*`: loads that graph). The row cache is cleared before each (cold rows). Since round 9 a job
// hands its inference worker to the next job of the same process (src/engine/model/sessionKeeper.ts): the kept
// worker is released before `eval*`, so that row still measures a later eval in a fresh process's terms (the saved
// graph loaded); `evalKeptSession*` is a third eval right after it, on the worker it left (the editor's next job).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';
import { DuckDBInstance } from '@duckdb/node-api';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'out', 'realsize');
const quick = process.argv.includes('--quick');
const flag = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const evalOnly = process.argv.includes('--eval-only');
const providers = (process.env.RECLENS_PROVIDERS ?? 'cpu').split(',');

async function ensure() {
  const cfg = path.join(OUT, 'reclens.json');
  if (fs.existsSync(path.join(OUT, 'data.parquet')) && fs.existsSync(cfg)) return cfg;
  if (!fs.existsSync(path.join(OUT, 'data.csv'))) {
    const r = spawnSync('/usr/bin/python3', [path.join(here, 'realsize', 'make_ranker.py'), OUT, '1000000', '1'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error('make_ranker.py failed (apt-get install python3-torch python3-onnx)');
  }
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const tmp = path.join(OUT, 'data.parquet.tmp');
  await c.run(
    `COPY (SELECT * FROM read_csv('${path.join(OUT, 'data.csv')}', header = true)) TO '${tmp}' (FORMAT parquet)`,
  );
  fs.renameSync(tmp, path.join(OUT, 'data.parquet'));
  c.closeSync();
  db.closeSync();
  fs.rmSync(path.join(OUT, 'data.csv'));
  return cfg;
}

const cfgFile = await ensure();
// RECLENS_BENCH_BUILD: another build's out/ folder (an old build, compared back to back on the same files).
const BUILD = path.resolve(process.env.RECLENS_BENCH_BUILD ?? path.join(here, '..', 'out'));
const { requireConfig } = require(BUILD + '/src/engine/config/loadConfig.js');
const { evaluate, scoreWorkspace } = require(BUILD + '/src/engine/evaluate.js');
const { RemoteSession } = require(BUILD + '/src/engine/model/remoteSession.js');
const { ablate } = require(BUILD + '/src/engine/ablation/ablate.js');
const { ceiling } = require(BUILD + '/src/engine/ablation/ceiling.js');
const { openWorkspace } = require(BUILD + '/src/engine/workspace.js');
const { createSession } = require(BUILD + '/src/engine/model/session.js');
const { streamBatches } = require(BUILD + '/src/engine/data/batches.js');
const { forgetRows } = require(BUILD + '/src/engine/data/rowCache.js');
// Builds before round 9 keep no worker between jobs: nothing to release there.
const releaseKept = fs.existsSync(BUILD + '/src/engine/model/sessionKeeper.js')
  ? require(BUILD + '/src/engine/model/sessionKeeper.js').releaseKeptSessions
  : async () => undefined;
const ort = require('onnxruntime-node');
const { config } = requireConfig(cfgFile);
const threads = flag('--threads');
if (threads !== undefined) config.runtime.threads = threads;
const timings = {};
/** Wall seconds and result; CPU seconds (all threads) and the 1-minute load go to `timings[label]`. */
const secs = async (fn, label) => {
  const load = os.loadavg()[0],
    c0 = process.cpuUsage(),
    t = performance.now();
  const r = await fn();
  const wall = (performance.now() - t) / 1000,
    cu = process.cpuUsage(c0);
  if (label) timings[label] = { wall: round(wall), cpu: round((cu.user + cu.system) / 1e6), load1: round(load) };
  return [wall, r];
};
const round = (x) => Math.round(x * 100) / 100;
/** Cold rows: the decoded-row cache cleared (in memory and its folders on disk); the model cache is elsewhere, kept. */
const cold = () => {
  forgetRows();
  const dir = path.join(OUT, '.reclens', 'cache');
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) fs.rmSync(path.join(dir, e.name), { recursive: true, force: true });
};

const limit = flag('--rows') ?? (quick ? 50_000 : 1_000_000); // the size: 1M rows
const ws = await openWorkspace(config);
// Eval of every row of the file is `reclens eval` without --limit: no SQL LIMIT, which DuckDB would materialise in
// full before the first row streams (order-preserving LIMIT is a sink: 3-5 s at 1M rows here, docs/performance.md
// round 7). --with-limit passes the limit anyway, to measure that.
const evalLimit = limit < ws.data.rows || process.argv.includes('--with-limit') ? limit : undefined;
// Without --batch: the batch eval itself uses (runtime.batchSize, else the width-aware default; older builds: config).
const batchSize = flag('--batch') ?? ws.batchSize ?? config.runtime.batchSize;
const [bareLoad, ms] = await secs(
  () => createSession(config.model.path, providers, config.runtime.threads),
  'bareModelLoad',
);
const pre = [];
const stats = { rows: 0, groupKeys: [], missingKeys: {} };
await secs(async () => {
  for await (const b of streamBatches(ws.duck, ws.plan, batchSize, stats, undefined, limit))
    pre.push(
      Object.fromEntries(
        ws.plan.inputs.map((i) => [i.name, new ort.Tensor(i.dtype, b.feeds.get(i.name), [b.size, ...i.dims])]),
      ),
    );
}, 'decodeAlone');
const [bare] = await secs(async () => {
  for (const feeds of pre) await ms.session.run(feeds, [ws.outputName]);
}, 'bareRun');
pre.length = 0;
ws.close();
await ms.session.release?.();
// eval's scoring stage alone: the same batches decoded here and scored in the inference worker.
cold();
const ws2 = await openWorkspace(config);
const rs = await RemoteSession.open(config.model.path, providers, config.runtime.threads, ws2.outputName);
const [tScore] = await secs(() => scoreWorkspace(ws2, rs, { limit: evalLimit, batchSize }), 'evalScoring');
await rs.close();
ws2.close();
cold();
// The model cache (.reclens/model-cache): emptied first, so every run times both of a user's cases end to end:
// the first eval of this model (its load saves onnxruntime's optimised graph) and the next (loads that graph). An
// older build without the cache just loads the model both times.
fs.rmSync(path.join(OUT, '.reclens', 'model-cache'), { recursive: true, force: true });
let modelCache;
let tFirst;
try {
  const [t] = await secs(
    () => evaluate(config, { providers, limit: evalLimit, bootstrap: 0, batchSize }),
    'evalFirstJob',
  );
  tFirst = t;
  const saved = path.join(OUT, '.reclens', 'model-cache');
  modelCache = fs.existsSync(saved) && fs.readdirSync(saved).some((f) => f.endsWith('.ort')) ? 'saved' : 'off';
} catch (e) {
  modelCache = `failed: ${e.message}`;
}
cold();
await releaseKept(); // a later eval that loads the saved graph (the row's definition before round 9)
// A timeline of the job's stages: the wall second at which each progress phase first and last reported.
const stages = {};
const tl0 = performance.now();
const control = {
  onProgress: (e) => {
    const at = round((performance.now() - tl0) / 1000);
    stages[e.phase] = [stages[e.phase]?.[0] ?? at, at];
  },
};
const [tEval, ev] = await secs(
  () => evaluate(config, { providers, limit: evalLimit, bootstrap: 0, batchSize }, control),
  'evalEndToEnd',
);
// The editor's next job on the same model: the worker the eval above left (a build without a keeper loads again).
cold();
const [tKept, kept] = await secs(
  () => evaluate(config, { providers, limit: evalLimit, bootstrap: 0, batchSize }),
  'evalKeptSession',
);
await releaseKept();
if (kept.result.auc !== ev.result.auc) throw new Error(`eval on the kept worker gave AUC ${kept.result.auc}`);
const head = {
  rows: limit,
  sqlLimit: evalLimit !== undefined,
  batchSize,
  threads: config.runtime.threads,
  modelCacheFirstJob: modelCache,
  auc: ev.result.auc,
  bareRowsPerSec: limit / bare,
  evalRowsPerSec: limit / tEval,
  evalFirstJobRowsPerSec: tFirst ? limit / tFirst : undefined,
  evalKeptSessionRowsPerSec: limit / tKept,
  evalScoringRowsPerSec: limit / tScore,
  bareWithLoadRowsPerSec: limit / (bare + bareLoad),
  // Ratios: end to end against bare runs alone (the goal) and against bare runs plus their model load
  // (both sides then load the 200 MB model once); eval's scoring stage against bare runs alone.
  evalVsBare: round(bare / tEval),
  evalFirstJobVsBare: tFirst ? round(bare / tFirst) : undefined,
  evalKeptSessionVsBare: round(bare / tKept),
  evalVsBareWithLoad: round((bare + bareLoad) / tEval),
  scoringVsBare: round(bare / tScore),
  timings,
  evalStages: Object.fromEntries(Object.entries(ev.record.timings).map(([k, v]) => [k, round(v)])),
  evalKeptSessionStages: Object.fromEntries(Object.entries(kept.record.timings).map(([k, v]) => [k, round(v)])),
  evalTimeline: stages,
};
if (evalOnly) {
  console.log(JSON.stringify(head));
  process.exit(0);
}
const abRows = quick ? 20_000 : 100_000;
cold();
const [tAb, ab] = await secs(
  () => ablate(config, { providers, limit: abRows, slots: ['dense', 'c2', 'c3'], repeats: 1, bootstrap: 0, seed: 1 }),
  'ablate',
);
const ceRows = quick ? 5_000 : 20_000,
  k = 8;
const [tCe, ce] = await secs(
  () => ceiling(config, { providers, limit: ceRows, slots: ['c2'], candidates: k, seed: 1 }),
  'ceiling',
);
console.log(
  JSON.stringify({
    ...head,
    ablate: { rows: abRows, passes: ab.result.inferencePasses, seconds: tAb },
    ceiling: { rows: ceRows, k, inferences: ce.result.inferences, seconds: tCe },
  }),
);
