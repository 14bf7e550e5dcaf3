// RecLens benchmarks: every row of the performance table (docs/performance.md) as figures and ratios from one run.
// Prints figures; asserts nothing (targets are read by people, not by timed tests). Seeds are fixed (1).
//   node bench/run.mjs            all (1M / 5M rows; takes a while)
//   node bench/run.mjs --quick    smaller sizes, one repeat (smoke use)
//   node bench/run.mjs --only ablate,bootstrap,auc   some sections (eval always runs: the others are ratios to it);
//     sections: ablate, reuse, bootstrap, ablatebench, auc, embedding, lis, memory, realsize
// RECLENS_PROVIDERS=cuda,cpu picks the provider chain (default cpu).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { ensureBenchData, ROOT } from './data.mjs';
import { bareReference, loadBuild, median, plainPass, spread } from './ablatecommon.mjs';

const require = createRequire(import.meta.url);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { evaluate } = require('../out/src/engine/evaluate.js');
const { openWorkspace } = require('../out/src/engine/workspace.js');
const { createSession } = require('../out/src/engine/model/session.js');
const { streamBatches } = require('../out/src/engine/data/batches.js');
const { forgetRows } = require('../out/src/engine/data/rowCache.js');
const { forgetListWidths } = require('../out/src/engine/data/listWidths.js');
const { releaseKeptSessions } = require('../out/src/engine/model/sessionKeeper.js');
const { ablate } = require('../out/src/engine/ablation/ablate.js');
const { ceiling } = require('../out/src/engine/ablation/ceiling.js');
const { withJob } = require('../out/src/engine/job.js');
const { auc } = require('../out/src/engine/metrics/auc.js');
const { sortScores } = require('../out/src/engine/metrics/argsort.js');
const { computeBaseMetrics } = require('../out/src/engine/metrics/baseMetrics.js');
const { seededRandom } = require('../out/src/engine/util/random.js');
const ort = require('onnxruntime-node');

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1].split(',')) : undefined;
const want = (section) => !only || only.has(section);
const providers = (process.env.RECLENS_PROVIDERS ?? 'cpu').split(',');
const N = quick ? 200_000 : undefined; // rows for the eval / ablate rows (undefined: all 1,008,350)
const table = [];
const fmt = (x, d = 2) => (typeof x === 'number' ? x.toFixed(d) : String(x));
function row(what, now, ratio, goal) {
  table.push({ what, now, ratio, goal });
  console.log(`  ${what}: ${now}${ratio ? `  [${ratio}]` : ''}${goal ? `  (goal ${goal})` : ''}`);
}
// Wall seconds, the result, and this process's CPU seconds (all threads: inference and compute workers, onnxruntime's
// pool). On a shared machine CPU seconds say more about the work than wall seconds; both are printed.
let lastCpu = 0;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const secs = async (fn) => {
  const t = performance.now(),
    c = cpuNow();
  const r = await fn();
  lastCpu = cpuNow() - c;
  return [(performance.now() - t) / 1000, r, lastCpu];
};
const both = (wall, cpu) => `${fmt(wall)} s (cpu ${fmt(cpu)} s)`;
// A cold job, as a fresh CLI process runs it: no rows kept, no list widths known, no inference worker kept from an
// earlier job (round 9's session keeper; the editor keeps one for 60 s, which the "reuse" row shows).
async function cold(cfgFile) {
  await releaseKeptSessions();
  forgetRows();
  forgetListWidths(); // a cold job measures its list columns' widths, as a fresh CLI process does
  fs.rmSync(path.join(path.dirname(cfgFile), '.reclens', 'cache'), { recursive: true, force: true });
}
function sub(script, args, timeoutS = 1800) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', script), ...args], {
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0)
    return {
      error: `${r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutS} s` : `exit ${r.status}`}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`,
    };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { error: r.stdout.slice(-500) };
  }
}

console.log(
  `RecLens bench ${new Date().toISOString()} on ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, node ${process.version}, providers ${providers.join(',')}${quick ? ', --quick' : ''}`,
);
const cfgFile = await ensureBenchData();
const { config } = requireConfig(cfgFile);

// 1. Eval over the MovieLens bench rows: bare onnxruntime on prebuilt tensors, the decode floor, and reclens eval.
console.log('eval (MovieLens x50, Parquet -> scores, batch 8192, bootstrap 0)');
const ws = await openWorkspace(config);
const rows = Math.min(ws.data.rows, N ?? Infinity);
const ms = await createSession(config.model.path, providers);
const pre = [];
const [decode] = await secs(async () => {
  const stats = { rows: 0, groupKeys: [], missingKeys: {} };
  for await (const b of streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats, undefined, N))
    pre.push(
      Object.fromEntries(
        ws.plan.inputs.map((i) => [i.name, new ort.Tensor(i.dtype, b.feeds.get(i.name), [b.size, ...i.dims])]),
      ),
    );
});
const [barePass, , bareCpu] = await secs(async () => {
  for (const feeds of pre) await ms.session.run(feeds, [ws.outputName]);
});
pre.length = 0;
ws.close();
await cold(cfgFile);
const [decodeAgain, , decodeCpu] = await secs(async () => {
  const w2 = await openWorkspace(config);
  const stats = { rows: 0, groupKeys: [], missingKeys: {} };
  for await (const b of streamBatches(w2.duck, w2.plan, config.runtime.batchSize, stats, undefined, N)) void b;
  w2.close();
});
await cold(cfgFile); // the floor above measured the list widths: eval measures them again, as the floor did
const [evalCold, ev, evalColdCpu] = await secs(() => evaluate(config, { providers, limit: N, bootstrap: 0 }));
const [evalWarm, , evalWarmCpu] = await secs(() => evaluate(config, { providers, limit: N, bootstrap: 0 }));
row(
  `eval ${rows.toLocaleString()} rows, cold (decoding)`,
  `${both(evalCold, evalColdCpu)} = ${Math.round(rows / evalCold).toLocaleString()} rows/s`,
  `${fmt(barePass / evalCold)} x bare ORT (${Math.round(rows / barePass).toLocaleString()} rows/s, ${both(barePass, bareCpu)}); open + decode alone ${both(decodeAgain, decodeCpu)} = the read floor; eval / floor ${fmt(evalCold / decodeAgain)} (cpu ${fmt(evalColdCpu / decodeCpu)})`,
  'at the read floor',
);
row(
  'reuse: the same eval again (decoded rows kept)',
  both(evalWarm, evalWarmCpu),
  `${fmt(evalCold / evalWarm)} x faster than cold (cpu ${fmt(evalColdCpu / evalWarmCpu)} x)`,
  'second job skips decoding',
);
// The issue's own job: `reclens eval --no-slices` (no slices, no second metrics worker; the base metrics' curves are
// still computed, as the Run panel shows them), cold, against the same floor. The row above keeps its definition
// (automatic slices on). CPU per thread of both: `node bench/decodethread.mjs [--no-slices]`.
await cold(cfgFile);
const [evalBare, , evalBareCpu] = await secs(() =>
  evaluate(config, { providers, limit: N, bootstrap: 0, slices: false }),
);
row(
  `eval ${rows.toLocaleString()} rows, cold, --no-slices (the issue's job; curves on)`,
  both(evalBare, evalBareCpu),
  `eval / floor ${fmt(evalBare / decodeAgain)} (cpu ${fmt(evalBareCpu / decodeCpu)}); with slices ${fmt(evalCold / decodeAgain)}`,
  'at the read floor (the issue: 1.24 x read + to numpy)',
);
const evalAuc = ev.result.auc;

// 2. Ablate 2 slots x (mask + 2 permutations) = 7 passes, without and with bootstrap, against one cold eval.
// A pass is divided by a bare onnxruntime pass timed right before each of three cold runs without bootstrap (round 9:
// section 1's single bare pass moved by up to 40 % between runs of the same code): median over median. The first
// run's row is the one rounds 5-8 printed (against section 1's bare pass).
console.log('ablate (2 slots: item_content, numeric; mask + 2 permutations = 7 passes; seed 1)');
if (want('ablate')) {
  const bare = await bareReference(loadBuild(ROOT), config, providers, N);
  const bares = [],
    passes = [];
  for (const bootstrap of [0, 0, 0, 200]) {
    if (bootstrap === 0) bares.push((await bare.time())[0]);
    else await bare.close(); // its tensors are not held through the bootstrap run
    await cold(cfgFile);
    const [t, ab, c] = await secs(() =>
      ablate(config, { providers, limit: N, slots: ['item_content', 'numeric'], repeats: 2, bootstrap, seed: 1 }),
    );
    const perPass = ab.record.timings.inferenceSeconds / ab.result.inferencePasses;
    if (bootstrap === 0) passes.push(perPass);
    if (bootstrap === 0 && passes.length > 1) continue;
    row(
      `ablate ${rows.toLocaleString()} rows, 7 passes, bootstrap ${bootstrap}`,
      `${both(t, c)}; ${fmt(perPass)} s per pass after decoding`,
      `${fmt(t / evalCold)} x one cold eval (cpu ${fmt(c / evalColdCpu)} x); a pass ${fmt(perPass / barePass)} x a bare ORT pass`,
      bootstrap ? '<= 5 x one cold eval' : '<= 2.5 x one cold eval; a pass <= 1.3 x bare ORT',
    );
  }
  row(
    `ablate ${rows.toLocaleString()} rows, a pass (3 cold runs, bootstrap 0) / a bare ORT pass timed before each`,
    `a pass ${spread(passes, 2)}; bare ${spread(bares, 2)}`,
    `${fmt(median(passes) / median(bares))} x (median over median)`,
    '<= 1.3 x',
  );
}
// Reuse: ceiling right after ablate on the same rows skips decoding.
if (want('reuse')) {
  await cold(cfgFile);
  const [tA, , cA] = await secs(() => withJob(config, { providers, limit: N }, undefined, async () => undefined));
  const [tB, , cB] = await secs(() => withJob(config, { providers, limit: N }, undefined, async () => undefined));
  row(
    'reuse: job setup (open + rows + session), first job vs next job',
    `${both(tA, cA)} -> ${both(tB, cB)}`,
    `${fmt(tA / tB)} x (cpu ${fmt(cA / cB)} x)`,
    'second job skips decoding',
  );
}

// 3. Eval with bootstrap 100 against without, on 5M rows (quick: the 200k rows above).
if (want('bootstrap')) {
  const big = quick ? cfgFile : await ensureBenchData(250);
  const c5 = requireConfig(big).config;
  await cold(big);
  const [t0, r0, c0] = await secs(() => evaluate(c5, { providers, limit: N, bootstrap: 0 }));
  await cold(big);
  const [t1, r1, c1] = await secs(() => evaluate(c5, { providers, limit: N, bootstrap: 100, seed: 1 }));
  row(
    `eval ${r0.result.rows.toLocaleString()} rows, bootstrap 100`,
    `${both(t1, c1)}; without: ${both(t0, c0)}; metrics step ${fmt(r1.record.timings.metricsSeconds)} s vs ${fmt(r0.record.timings.metricsSeconds)} s`,
    `${fmt(t1 / t0)} x without (cpu ${fmt(c1 / c0)} x)`,
    '<= 1.5 x without',
  );
}

// 4. The ablate bench: 6 slots x (mask + 2 permutations), per pass against a plain pass on rows built once.
// Three rounds of (a plain pass in a job of its own, after a warm-up pass; the ablate call): median over median
// (round 9). The first round's row is the one rounds 5-8 printed.
if (want('ablatebench')) {
  const limit = quick ? 50_000 : 200_000;
  await cold(cfgFile);
  const lib = loadBuild(ROOT);
  const plains = [],
    whole = [],
    alone = [];
  let n = 0;
  for (let round = 0; round < 3; round++) {
    const plain = await plainPass(lib, config, providers, limit);
    const [abSec, ab, abCpu] = await secs(() =>
      ablate(config, { providers, limit, repeats: 2, bootstrap: 0, seed: 1 }),
    );
    // The whole ablate() call divided by its passes counts the job's one-off set-up (open, rows recalled, inference
    // worker and session, segments, closing), which the plain pass (measured inside an open job) does not; the
    // passes alone (ablate's inferenceSeconds) are printed too.
    n = ab.result.inferencePasses;
    const t = ab.record.timings;
    plains.push(plain);
    whole.push(abSec / n);
    alone.push(t.inferenceSeconds / n);
    if (round > 0) continue;
    row(
      `ablate bench ${limit.toLocaleString()} rows, 6 slots, ${n} passes (rows reused)`,
      `${both(abSec, abCpu)}; set-up ${fmt(t.totalSeconds - t.inferenceSeconds - t.metricsSeconds)} s, passes ${fmt(t.inferenceSeconds)} s`,
      `${fmt(abSec / n / plain)} x a plain pass per pass (${fmt(plain)} s); passes alone ${fmt(t.inferenceSeconds / n / plain)} x`,
      '<= 1.3 x',
    );
  }
  const plain = median(plains);
  row(
    `ablate bench ${limit.toLocaleString()} rows, ${n} passes, 3 rounds (plain pass, ablate call)`,
    `whole call per pass ${spread(whole)}; plain pass ${spread(plains)}`,
    `${fmt(median(whole) / plain)} x a plain pass per pass (median over median); passes alone ${fmt(median(alone) / plain)} x`,
    '<= 1.3 x',
  );
  // The editor's case (round 9): the ablate call takes the inference worker the plain job left (model loaded, first
  // runs done), as ablate after eval does within 60 s. The rows above start a fresh worker, as `reclens ablate` does.
  const plainKept = await plainPass(lib, config, providers, limit, { keep: true });
  const [keptSec, kept] = await secs(() => ablate(config, { providers, limit, repeats: 2, bootstrap: 0, seed: 1 }));
  row(
    `same, the ablate call on the worker the plain job left (the editor's case)`,
    `${fmt(keptSec)} s; set-up ${fmt(kept.record.timings.totalSeconds - kept.record.timings.inferenceSeconds - kept.record.timings.metricsSeconds)} s`,
    `${fmt(keptSec / kept.result.inferencePasses / plainKept)} x a plain pass per pass (${fmt(plainKept)} s)`,
    '<= 1.3 x',
  );
  await releaseKeptSessions();
  const [ceSec, ce] = await secs(() =>
    ceiling(config, { providers, limit, candidates: 16, seed: 1, slots: ['item_content', 'numeric'] }),
  );
  row(
    `ceiling ${limit.toLocaleString()} rows, 2 slots, K=16`,
    `${ce.result.inferences.toLocaleString()} inferences in ${fmt(ceSec)} s`,
    `${fmt(ce.result.inferences / ceSec / (limit / plain))} x plain inference throughput`,
    '',
  );
}

// 5. AUC over 10M seeded scores, against scikit-learn's roc_auc_score on the same machine when it is installed.
if (want('auc')) {
  const n = 10_000_000;
  const rng = seededRandom(1);
  const labels = new Uint8Array(n),
    scores = new Float32Array(n),
    probs = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng() < 0.3 ? 1 : 0;
    scores[i] = labels[i] * 0.5 + rng();
    probs[i] = scores[i] / 1.5;
  }
  const [tSort] = await secs(() => sortScores(scores, labels));
  const [tAuc, a, cAuc] = await secs(() => auc(labels, scores));
  const [tAll] = await secs(() => computeBaseMetrics({ labels, scores, probs }));
  const py = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      'import time,numpy as np\nfrom sklearn.metrics import roc_auc_score\nr=np.random.default_rng(1);y=(r.random(10_000_000)<0.3).astype(np.int8);s=(y*0.5+r.random(10_000_000)).astype(np.float32)\nt=time.perf_counter();roc_auc_score(y,s);print(time.perf_counter()-t)',
    ],
    { encoding: 'utf8' },
  );
  const sk = py.status === 0 ? Number(py.stdout.trim()) : NaN;
  row(
    'AUC of 10M scores (seed 1)',
    `${both(tAuc, cAuc)} (AUC ${a.toFixed(4)}; radix sort ${fmt(tSort)} s; AUC+LogLoss+calibration ${fmt(tAll)} s)`,
    Number.isFinite(sk) ? `sklearn roc_auc_score ${fmt(sk)} s here: ${fmt(tAuc / sk)} x` : 'sklearn not installed',
    '<= 1.0 s',
  );
}

// 6. Embedding space (PCA, kNN, UMAP 20k and a 100k sampled view), in a fresh process.
if (want('embedding')) {
  const e = sub('embedding.mjs', quick ? ['--quick'] : []);
  if (e.error) row('embedding', `failed: ${e.error}`);
  else {
    row(
      `kNN top-10, ${e.knn.rows.toLocaleString()} x 128`,
      `${fmt(e.knn.seconds)} s on ${e.knn.provider}`,
      '',
      'GPU when present; CPU path not slower',
    );
    for (const u of e.umap)
      row(
        `UMAP ${u.rows.toLocaleString()} points (${u.epochs} epochs, seed 1)`,
        `${fmt(u.seconds)} s (kNN ${fmt(u.knnSeconds)} s before)`,
        '',
        u.rows >= 100_000 ? '<= 60 s' : '<= 10 s (20k)',
      );
    row(`PCA ${e.pca.rows.toLocaleString()} x 128`, `${fmt(e.pca.seconds)} s`, '', '');
  }
}

// 7. LIS at 1M rows / 10k users (quick: 100k / 1k) on the seeded synthetic workspace of bench/lisdata.mjs, default
// probes (2 folds x 5 splits, 200 replicates), time, CPU and peak memory, in a fresh process.
if (want('lis')) {
  const { ensureLisData } = await import('./lisdata.mjs');
  const lisCfg = await ensureLisData(quick ? 100_000 : 1_000_000, quick ? 1_000 : 10_000, 1);
  const l = sub('lis.mjs', [lisCfg], quick ? 900 : 3600);
  if (l.error) row('lis', `failed: ${l.error}`, '', '<= 2 GiB');
  else
    row(
      `lis ${l.rows.toLocaleString()} rows, ${l.users.toLocaleString()} users (synthetic, seed 1)`,
      `${fmt(l.seconds)} s (${fmt(l.cpuSeconds)} s CPU), peak RSS ${fmt(l.peakRssMiB, 0)} MiB`,
      Object.entries(l.phaseSeconds)
        .map(([k, v]) => `${k} ${v} s`)
        .join(', '),
      'report; <= 2 GiB',
    );
}

// 8. Peak memory: eval 1M rows, and ablate at 5M rows (quick: 1M), each in a fresh process.
if (want('memory')) {
  const m = sub('memory.mjs', ['eval', cfgFile]);
  row(
    'memory: eval 1M rows',
    m.error ? `failed: ${m.error}` : `peak RSS ${fmt(m.peakRssMiB, 0)} MiB, ${fmt(m.seconds)} s`,
    '',
    '',
  );
  const big = quick ? cfgFile : await ensureBenchData(250);
  const a = sub('memory.mjs', ['ablate', big]);
  row(
    `memory: ablate ${a.rows?.toLocaleString() ?? ''} rows (2 slots, mask + 2 permutations, bootstrap 100)`,
    a.error ? `failed: ${a.error}` : `peak RSS ${fmt(a.peakRssMiB, 0)} MiB, ${fmt(a.seconds)} s`,
    '',
    '< 1 GiB at 5M rows',
  );
}

// 9. A DLRM / DCN-sized ranker (bench/realsize), in a fresh process.
if (want('realsize')) {
  const r = sub('realsize.mjs', quick ? ['--quick'] : [], 3600);
  if (r.error) row('real-size ranker', `failed: ${r.error}`);
  else {
    row(
      `real-size ranker: eval ${r.rows.toLocaleString()} rows${r.evalFirstJobRowsPerSec ? ', model graph from the cache (every eval after the first)' : ''}`,
      `${Math.round(r.evalRowsPerSec).toLocaleString()} rows/s`,
      `${fmt(r.evalRowsPerSec / r.bareRowsPerSec)} x bare ORT (${Math.round(r.bareRowsPerSec).toLocaleString()} rows/s)`,
      '>= 0.85',
    );
    if (r.evalFirstJobRowsPerSec)
      row(
        `real-size ranker: the first eval of the model (saves its optimised graph)`,
        `${Math.round(r.evalFirstJobRowsPerSec).toLocaleString()} rows/s`,
        `${fmt(r.evalFirstJobRowsPerSec / r.bareRowsPerSec)} x bare ORT`,
        '>= 0.85',
      );
    if (r.evalKeptSessionRowsPerSec)
      row(
        `real-size ranker: the next eval in the same process (the editor's next job: the worker the last one left)`,
        `${Math.round(r.evalKeptSessionRowsPerSec).toLocaleString()} rows/s`,
        `${fmt(r.evalKeptSessionRowsPerSec / r.bareRowsPerSec)} x bare ORT`,
        '',
      );
    if (r.evalScoringRowsPerSec)
      row(
        `real-size ranker: eval's scoring stage (decode + inference), batch ${r.batchSize}`,
        `${Math.round(r.evalScoringRowsPerSec).toLocaleString()} rows/s`,
        `${fmt(r.evalScoringRowsPerSec / r.bareRowsPerSec)} x bare ORT; CPU s ${r.timings.evalScoring.cpu} vs ${r.timings.bareRun.cpu} (load ${r.timings.bareRun.load1})`,
        '',
      );
    row(
      `real-size ranker: ablate ${r.ablate.rows.toLocaleString()} rows, ${r.ablate.passes} passes`,
      `${fmt(r.ablate.seconds)} s`,
      `${fmt(r.ablate.seconds / r.ablate.passes / (r.ablate.rows / r.bareRowsPerSec))} x a bare ORT pass per pass`,
      '',
    );
    row(
      `real-size ranker: ceiling ${r.ceiling.rows.toLocaleString()} rows, 1 slot, K=${r.ceiling.k}`,
      `${r.ceiling.inferences.toLocaleString()} inferences in ${fmt(r.ceiling.seconds)} s`,
      `${fmt(r.ceiling.inferences / r.ceiling.seconds / r.bareRowsPerSec)} x bare ORT throughput`,
      '',
    );
  }
}

console.log(`\n| what | measured | ratio | goal |\n|---|---|---|---|`);
for (const t of table) console.log(`| ${t.what} | ${t.now} | ${t.ratio ?? ''} | ${t.goal ?? ''} |`);
console.log(
  `(eval AUC ${evalAuc.toFixed(4)}; load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
