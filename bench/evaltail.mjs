// Eval's tail after scoring (docs/performance.md, round 6): the read floor (open + decode alone), then a cold eval
// with automatic slices and one without, each with wall, CPU seconds (this process, all threads) and the stages.
// Seed 1, CPU provider, bootstrap 0, the 1,008,350-row MovieLens bench. Asserts nothing; prints figures.
//   node bench/evaltail.mjs [--rows N] [--repeat R] [--no-floor] [--only slices|noslices] [--stages] [outDir ...]
// Each outDir is a compiled tree (default: out); with two or more (e.g. one built from an older commit with
// `npx tsc -p . --outDir /tmp/old`) they run alternately, R times each, and the medians are printed side by side.
import {
  args,
  benchConfig,
  cpuNow,
  engines as enginesOf,
  floor as floorOf,
  load,
  median,
  resultJson,
} from './evalsetup.mjs';

const { argv, opt, flag } = args();
const limit = opt('--rows') ? Number(opt('--rows')) : undefined;
const repeat = Number(opt('--repeat') ?? 1);
const onlyWhich = opt('--only');
const noFloor = flag('--no-floor');
const stages = flag('--stages');
const engines = enginesOf(argv);
const { config, cold } = await benchConfig(engines[0]);
async function measure(e, what, fn) {
  await cold(e);
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
// Round 9: a tree with compute/warmMemory.js runs them as eval does now: the buffers the steps allocate pre-faulted
// first ('pre-fault', while the rows are scored in eval), the log terms apart ('log terms', while the sort runs in
// eval), the slice metrics reading them. Older trees allocate fresh memory in every step and compute the log terms in
// the slice metrics. Both sort into shared memory, as eval's sortShared does.
if (stages) {
  const reqOf = (e) => e.req;
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
      warm: (() => {
        try {
          return {
            ...req('./src/engine/compute/warmMemory.js'),
            tailBuffers: req('./src/engine/evaluate.js').tailBuffers,
            logTerms: req('./src/engine/metrics/loss.js').logTerms,
          };
        } catch {
          return undefined;
        }
      })(),
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
      const n = scored.labels.length;
      let terms;
      if (f.warm) {
        const [a, b] = f.warm.tailBuffers(n, scored.groups !== undefined, true);
        step(e, 'pre-fault (eval: while scoring)', () =>
          f.warm.prefault({ plain: [...a.plain, ...b.plain], shared: [...a.shared, ...b.shared] }),
        );
        terms = step(e, 'log terms (eval: while sorting)', () =>
          f.warm.logTerms(scored.labels, scored.probs, f.warm.warmArray(Float64Array, n, true)),
        );
      }
      const sorted = step(e, 'sort', () => f.sortScores(scored.scores, scored.labels, true));
      step(e, 'base metrics + curves', () =>
        f.computeBaseMetrics({ ...scored, groupCount: scored.groupCount, curves: true, sorted }),
      );
      step(e, 'slice metrics', () =>
        f.prepareSlices({ ...scored, slices: masks, bootstrap: 0, seed: 1, sorted, terms }, notes),
      );
      f.warm?.dropWarm();
    });
  console.log(`cpu s, medians of ${repeat} (each run in brackets) [load ${load()}]:`);
  for (const what of outs.keys())
    console.log(
      `  ${what}: ` +
        engines
          .filter((e) => times.has(`${what}\t${e.dir}`))
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
const floor = (e) => floorOf(e, config, limit);
const got = new Map();
const results = new Map();
for (let k = 0; k < repeat; k++)
  for (const [key, what, fn] of cases)
    for (const e of engines) {
      const m = await measure(e, what, () => fn(e));
      const id = `${e.dir}\t${key}`;
      got.set(id, [...(got.get(id) ?? []), m]);
      if (m.r?.result) {
        const json = resultJson(m.r.result);
        if (results.has(key) && results.get(key) !== json) console.log(`  ${key}: results DIFFER from the first run`);
        results.set(key, json);
      }
    }
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
