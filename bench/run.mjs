// RecLens benchmarks. Prints figures; asserts nothing (targets are read by people, not by timed tests).
//   node bench/run.mjs            all
//   node bench/run.mjs --quick    fewer repeats
import { spawnSync } from 'child_process';
import * as os from 'os';
import { createRequire } from 'module';
import { ensureBenchData, ROOT } from './data.mjs';

const require = createRequire(import.meta.url);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { scoreWorkspace } = require('../out/src/engine/evaluate.js');
const { openWorkspace } = require('../out/src/engine/workspace.js');
const { createSession } = require('../out/src/engine/model/session.js');
const { RemoteSession } = require('../out/src/engine/model/remoteSession.js');
const { streamBatches } = require('../out/src/engine/data/batches.js');
const ort = require('onnxruntime-node');
const { computeBaseMetrics } = require('../out/src/engine/metrics/baseMetrics.js');
const { aucFromOrder } = require('../out/src/engine/metrics/auc.js');
const { argsortFloat32 } = require('../out/src/engine/metrics/argsort.js');
const { seededRandom } = require('../out/src/engine/util/random.js');

const quick = process.argv.includes('--quick');
const providers = (process.env.RECLENS_PROVIDERS ?? 'cpu').split(',');
const repeats = quick ? 1 : 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`RecLens bench on ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, providers ${providers.join(',')}`);
const cfgFile = await ensureBenchData();
const { config } = requireConfig(cfgFile);

// 1. Inference throughput: reclens (read Parquet + table lookups + tensors + inference) vs bare onnxruntime.
const ws = await openWorkspace(config);
const ms = await createSession(config.model.path, providers);
const rows = ws.data.rows;
const pre = [];
const stats = { rows: 0, groupKeys: [], missingKeys: {} };
for await (const b of streamBatches(ws.duck, ws.plan, config.runtime.batchSize, stats)) pre.push(Object.fromEntries(ws.plan.inputs.map((i) => [i.name, new ort.Tensor(i.dtype, b.feeds.get(i.name), [b.size, ...i.dims])])));
const bare = [], ours = [];
for (let r = 0; r < repeats; r++) {
  let t = performance.now();
  for (const feeds of pre) await ms.session.run(feeds, [ws.outputName]);
  bare.push(rows / ((performance.now() - t) / 1000));
  const rs = await RemoteSession.open(config.model.path, providers, 0, ws.outputName);
  t = performance.now();
  await scoreWorkspace(ws, rs, {});
  ours.push(rows / ((performance.now() - t) / 1000));
  await rs.close();
}
ws.close();
const ratio = median(ours) / median(bare);
console.log(`inference  ${rows.toLocaleString()} rows, batch ${config.runtime.batchSize}, provider ${ms.provider}`);
console.log(`  bare onnxruntime loop (prebuilt tensors)   ${Math.round(median(bare)).toLocaleString()} rows/s`);
console.log(`  reclens eval scoring (Parquet -> scores)   ${Math.round(median(ours)).toLocaleString()} rows/s`);
console.log(`  ratio                                      ${ratio.toFixed(3)}  (target >= 0.85; median of ${repeats})`);

// 1b. Ablation and ceiling cost against plain inference on the same rows (rows built once, then reused).
{
  const { ablate } = require('../out/src/engine/ablation/ablate.js');
  const { ceiling } = require('../out/src/engine/ablation/ceiling.js');
  const { withJob } = require('../out/src/engine/job.js');
  const limit = quick ? 50_000 : 200_000;
  let plain = 0;
  await withJob(config, { providers, limit }, undefined, async (ctx) => {
    await ctx.score('warm-up');
    const t = performance.now();
    await ctx.score('plain');
    plain = (performance.now() - t) / 1000;
  });
  let t = performance.now();
  const ab = (await ablate(config, { providers, limit, repeats: 2, bootstrap: 0, seed: 1 })).result;
  const abSec = (performance.now() - t) / 1000;
  t = performance.now();
  const ce = (await ceiling(config, { providers, limit, candidates: 16, seed: 1, slots: ['item_content', 'numeric'] })).result;
  const ceSec = (performance.now() - t) / 1000;
  console.log(`ablation   ${limit.toLocaleString()} rows: plain inference pass ${plain.toFixed(2)} s (${Math.round(limit / plain).toLocaleString()} rows/s)`);
  console.log(`  ablate (6 slots, mask + 2 permutations) ${ab.inferencePasses} passes in ${abSec.toFixed(2)} s = ${(abSec / ab.inferencePasses / plain).toFixed(2)} x a plain pass per pass (data read once included)`);
  console.log(`  ceiling (2 slots, K=16) ${ce.inferences.toLocaleString()} inferences in ${ceSec.toFixed(2)} s = ${Math.round(ce.inferences / ceSec).toLocaleString()} inferences/s, ${((ce.inferences / ceSec) / (limit / plain)).toFixed(2)} x plain inference throughput`);
}

// 2. AUC over 10M scores (seeded synthetic scores).
const n = 10_000_000;
const rng = seededRandom(1);
const labels = new Uint8Array(n), scores = new Float32Array(n), probs = new Float32Array(n);
for (let i = 0; i < n; i++) { labels[i] = rng() < 0.3 ? 1 : 0; scores[i] = labels[i] * 0.5 + rng(); probs[i] = scores[i] / 1.5; }
let t = performance.now();
const order = argsortFloat32(scores);
const tSort = performance.now() - t;
const a = aucFromOrder(order, scores, labels);
const tAuc = performance.now() - t;
t = performance.now();
computeBaseMetrics({ labels, scores, probs });
const tAll = performance.now() - t;
console.log(`auc        10,000,000 scores (seed 1): AUC ${a.toFixed(4)} in ${(tAuc / 1000).toFixed(2)} s (radix argsort ${(tSort / 1000).toFixed(2)} s); AUC+LogLoss+calibration ${(tAll / 1000).toFixed(2)} s`);

// 3. Peak memory of a full eval over the 1M rows, in a fresh process.
const mem = spawnSync(process.execPath, [`${ROOT}/bench/memory.mjs`, cfgFile], { encoding: 'utf8' });
if (mem.status !== 0) console.log(`memory     failed: ${mem.stderr}`);
else {
  const m = JSON.parse(mem.stdout);
  console.log(`memory     eval of ${m.rows.toLocaleString()} rows: peak RSS ${m.peakRssMiB.toFixed(0)} MiB (RSS ${m.rssBeforeMiB.toFixed(0)} MiB before the run), ${m.seconds.toFixed(2)} s, AUC ${m.auc.toFixed(4)}`);
}

// 4. Embedding space (PCA, kNN, UMAP), in a fresh process.
const emb = spawnSync(process.execPath, [`${ROOT}/bench/embedding.mjs`, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
process.stdout.write(emb.status === 0 ? emb.stdout : `embedding  failed: ${emb.stderr}\n`);
