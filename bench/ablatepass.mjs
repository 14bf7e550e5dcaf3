// Ablate's per-pass cost against a plain pass and a bare onnxruntime pass, without the rest of bench/run.mjs
// (issue #13, round 7). Rows are recalled from .reclens/cache after the first job (no decoding in the passes).
//   node bench/ablatepass.mjs [--root DIR] [--json FILE] [--skip1m] [--skip200k] [--rounds N]
// --root: a build of RecLens to load (its out/ folder; default this repository), to compare old and new code
// back to back on the same data. --json: writes every ablation result (minus its `seconds`) there, for `cmp`.
// --rounds: how many times each ablation and its reference are timed, interleaved (default 3; round 9): ratios are
// median over median; the first round's single figures (the definition of rounds 7-8) are printed too.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBenchData } from './data.mjs';
import { bareReference, loadBuild, median, plainPass, secs, spread, threadsDuring } from './ablatecommon.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const root = path.resolve(arg('--root') ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const lib = loadBuild(root);
const { requireConfig, ablate, withJob } = lib;
const rounds = Math.max(1, Number(arg('--rounds') ?? 3));
const f = (x) => x.toFixed(3);
const mark = () => (Number(process.hrtime.bigint() / 1000n) / 1e6).toFixed(3); // the clock of --cpu-prof's profiles
// When the first batch of the first pass came back (its first progress event), seconds after the call.
const firstBatchClock = () => {
  const t = performance.now();
  const clock = { at: NaN };
  clock.control = {
    onProgress: (e) => {
      if (Number.isNaN(clock.at) && e.phase === 'baseline') clock.at = (performance.now() - t) / 1000;
    },
  };
  return clock;
};
// The ablate() call in phases: job set-up (open, rows, session; to the first pass), the passes (to the last score),
// the metrics that follow the last pass, and closing the job (workspace, workers).
const phases = (wall, t, first) => {
  const setup = t.totalSeconds - t.inferenceSeconds - t.metricsSeconds;
  return `phases: set-up ${f(setup)} s (first batch back at ${f(first)} s), passes ${f(t.inferenceSeconds)} s, metrics after the last pass ${f(t.metricsSeconds)} s, close ${f(wall - t.totalSeconds)} s`;
};
const load = () => os.loadavg()[0].toFixed(1);
const { config } = requireConfig(await ensureBenchData());
const providers = ['cpu'];
const dump = {};
console.log(`root ${root}, load ${load()}`);

// One ablate() call, timed, with its threads' CPU and phases printed; returns the job's result and timings.
const timedAblate = async (opts, label) => {
  const from = mark();
  const firstBatch = firstBatchClock();
  const [[w, ab, c], threads] = await threadsDuring(() => secs(() => ablate(config, opts, firstBatch.control)));
  console.log(
    `  ${label}: ablate ran from ${from} to ${mark()} s (monotonic clock, as in bench/profsummary.mjs --busy)`,
  );
  console.log(`    cpu s per thread (* = started in the job): ${threads}`);
  console.log(`    ${phases(w, ab.record.timings, firstBatch.at)}; cpu ${f(c)} s; load ${load()}`);
  return { w, ab, c };
};
// Every round's result must be the first's (the permutations are seeded): the dump holds the first.
const sameResult = (a, b) => JSON.stringify({ ...a, seconds: 0 }) === JSON.stringify({ ...b, seconds: 0 });

// The ablate bench: 200,000 rows, 6 slots x (mask + 2 permutations) = 19 passes, against a plain pass. Each round:
// a plain pass (in a job of its own, after a warm-up pass), then the ablate call.
if (!process.argv.includes('--skip200k')) {
  const limit = 200_000;
  const plains = [],
    whole = [],
    alone = [];
  let n = 0,
    first;
  for (let r = 0; r < rounds; r++) {
    plains.push(await plainPass(lib, config, providers, limit));
    const { w, ab } = await timedAblate({ providers, limit, repeats: 2, bootstrap: 0, seed: 1 }, `200k round ${r + 1}`);
    n = ab.result.inferencePasses;
    whole.push(w / n);
    alone.push(ab.record.timings.inferenceSeconds / n);
    if (!first) first = ab.result;
    else if (!sameResult(first, ab.result)) throw new Error(`200k round ${r + 1}: results differ from round 1`);
    console.log(
      `    round ${r + 1}: plain pass ${f(plains[r])} s; per pass ${f(whole[r] / plains[r])} x plain (whole call), passes alone ${f(alone[r] / plains[r])} x`,
    );
  }
  const p = median(plains);
  console.log(
    `ablate bench 200k, ${n} passes, ${rounds} rounds: whole call per pass ${spread(whole)} = ${f(median(whole) / p)} x the plain pass (${spread(plains)}); passes alone ${spread(alone)} = ${f(median(alone) / p)} x; round 1 alone (one plain pass, as rounds 7-8 printed): ${f(whole[0] / plains[0])} x, passes alone ${f(alone[0] / plains[0])} x; load ${load()}`,
  );
  dump.bench = { ...first, seconds: undefined };
}

// 1M rows, 2 slots x (mask + 2 permutations) = 7 passes, against a bare onnxruntime pass on prebuilt tensors
// (bench/run.mjs's reference). Each round: a bare pass, then the ablate call (rows recalled from .reclens/cache).
if (!process.argv.includes('--skip1m')) {
  const bare = await bareReference(lib, config, providers, undefined);
  const opts = { providers, slots: ['item_content', 'numeric'], repeats: 2, bootstrap: 0, seed: 1 };
  await withJob(config, { providers }, undefined, async () => undefined); // rows decoded and spilled once
  const bares = [],
    bareCpus = [],
    pass = [];
  let n = 0,
    first;
  for (let r = 0; r < rounds; r++) {
    const [b, bc] = await bare.time();
    bares.push(b);
    bareCpus.push(bc);
    const { ab } = await timedAblate(opts, `1M round ${r + 1}`);
    n = ab.result.inferencePasses;
    pass.push(ab.record.timings.inferenceSeconds / n);
    if (!first) first = ab.result;
    else if (!sameResult(first, ab.result)) throw new Error(`1M round ${r + 1}: results differ from round 1`);
    console.log(
      `    round ${r + 1}: a pass ${f(pass[r])} s, bare pass ${f(b)} s (cpu ${f(bc)} s): ${f(pass[r] / b)} x`,
    );
  }
  await bare.close();
  console.log(
    `ablate 1M, ${n} passes, ${rounds} rounds: a pass ${spread(pass)} = ${f(median(pass) / median(bares))} x the bare ORT pass (${spread(bares)}, cpu median ${f(median(bareCpus))} s); round 1 alone (as rounds 7-8 printed): ${f(pass[0] / bares[0])} x; load ${load()}`,
  );
  dump.m1 = { ...first, seconds: undefined };
}
if (arg('--json')) fs.writeFileSync(arg('--json'), JSON.stringify(dump, null, 1));
