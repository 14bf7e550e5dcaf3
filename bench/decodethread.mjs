// The decoding thread's CPU (docs/performance.md, "Round 7: eval on the decoding thread"): the read floor (open +
// decode alone) and a cold eval (bootstrap 0, automatic slices on unless --no-slices), each with wall seconds, CPU
// seconds of the whole process and of the main thread alone (the thread that decodes; read from
// /proc/self/task/<pid>/stat, so it counts only time the thread ran, whatever the load). Seed 1, CPU provider, the
// 1,008,350-row MovieLens bench. With two or more compiled trees (`npx tsc -p . --outDir /tmp/old/out` from an
// older commit, next to a node_modules link) they alternate, R times each, medians side by side, and the eval
// JSON (less seconds) is compared across them. Asserts nothing; prints figures.
//   node bench/decodethread.mjs [--repeat R] [--no-slices] [--only floor|eval|keys] [outDir ...]
import * as fs from 'fs';
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
const repeat = Number(opt('--repeat') ?? 1);
const only = opt('--only');
const slices = !flag('--no-slices');
const engines = enginesOf(argv);
const TICK = 100; // USER_HZ on Linux
/** CPU seconds of this process's main thread (utime + stime of /proc/self/task/<pid>/stat). */
const mainCpu = () => {
  const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(after[11]) + Number(after[12])) / TICK;
};
/** CPU seconds of every thread seen so far, by thread id (sampled: a thread's last reading before it ends). */
const threads = new Map();
const sampleThreads = () => {
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const f = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = f.slice(f.indexOf('(') + 1, f.lastIndexOf(')'));
      const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, {
        name,
        cpu: (Number(after[11]) + Number(after[12])) / TICK,
        first: threads.get(tid)?.first ?? performance.now(),
      });
    } catch {
      /* ended meanwhile */
    }
  }
};
/** CPU seconds by thread name since `before` (a copy of `threads`). */
let runStart = 0;
const byName = (before) => {
  sampleThreads();
  const out = new Map();
  for (const [tid, t] of threads) {
    const d = t.cpu - (before.get(tid)?.cpu ?? 0);
    // Threads are all named "node"; the main thread is the one whose id is the pid.
    // A new thread's label says when it was first seen (s after the run started): which is which is inferred from it.
    const key =
      tid === String(process.pid)
        ? 'main'
        : before.has(tid)
          ? `t${tid}`
          : `new t${tid}@${((t.first - runStart) / 1000).toFixed(1)}`;
    if (d >= 0.01) out.set(key, (out.get(key) ?? 0) + d);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
};
const { config, cold } = await benchConfig(engines[0]);
const floor = (e) => floorOf(e, config);
// --only keys (round 8): the automatic slices' user / item ids, numbered by the scoring stream vs read by the slices
// themselves (a second DuckDB read, what eval did before), in one open workspace, alternated: CPU of the stream
// alone, of the stream with the key columns, and of the slices' own read (streamKeyIdsTyped), per run.
if (only === 'keys') {
  const e = engines[engines.length - 1];
  const { streamedKeyIds, streamKeyIdsTyped } = e.req('./src/engine/slices/keyIds.js');
  const ws = await e.openWorkspace(config);
  const rows = ws.data.rows;
  const runs = {
    'stream alone (floor decode)': async () => {
      for await (const b of e.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, {
        rows: 0,
        groupKeys: [],
        missingKeys: {},
      }))
        void b;
    },
    'stream + slice keys (new)': async () => {
      const k = streamedKeyIds(ws, rows);
      const st = { rows: 0, groupKeys: [], missingKeys: {} };
      for await (const b of e.streamBatches(ws.duck, ws.plan, config.runtime.batchSize, st, undefined, undefined, [
        k.users,
        k.items,
      ]))
        void b;
      return k.keys();
    },
    "slices' own read (old)": async () => streamKeyIdsTyped({ config, ws, mat: { rows } }, rows),
  };
  const got = {};
  for (let k = 0; k < repeat; k++)
    for (const [what, fn] of Object.entries(runs)) {
      const l0 = load();
      const t = performance.now(),
        c = cpuNow(),
        m = mainCpu();
      const r = await fn();
      const s = [(performance.now() - t) / 1000, cpuNow() - c, mainCpu() - m];
      console.log(
        `${what}: ${s[0].toFixed(2)} s wall, ${s[1].toFixed(2)} s cpu, main thread ${s[2].toFixed(2)} s [load ${l0}]`,
      );
      got[what] = [...(got[what] ?? []), s];
      if (r)
        got[`${what} ids`] = JSON.stringify([
          r.users.distinct,
          Array.from(r.users.ids.subarray(0, 1000)),
          r.items.distinct.length,
        ]);
    }
  ws.close();
  console.log(`medians of ${repeat} (wall s / cpu s / main-thread cpu s):`);
  for (const what of Object.keys(runs))
    console.log(`  ${what}: ${[0, 1, 2].map((i) => median(got[what].map((x) => x[i])).toFixed(2)).join(' / ')}`);
  const same = got['stream + slice keys (new) ids'] === got["slices' own read (old) ids"];
  console.log(`ids: ${same ? 'the same' : 'DIFFERENT'} from both paths`);
  process.exit(0);
}
const cases = [];
if (only !== 'eval') cases.push(['floor', 'open + decode alone (read floor)', (e) => floor(e)]);
if (only !== 'floor')
  cases.push([
    'eval',
    `eval cold, slices ${slices ? 'on' : 'off'}`,
    (e) => e.evaluate(config, { providers: ['cpu'], bootstrap: 0, seed: 1, slices }),
  ]);
const got = new Map();
const results = new Map();
for (let k = 0; k < repeat; k++)
  for (const [key, what, fn] of cases)
    for (const e of engines) {
      await cold(e);
      const l0 = load();
      sampleThreads();
      const before = new Map(threads);
      runStart = performance.now();
      const timer = setInterval(sampleThreads, 50);
      const t = performance.now(),
        c = cpuNow(),
        m = mainCpu();
      const r = await fn(e);
      clearInterval(timer);
      const perThread = byName(before);
      const s = { wall: (performance.now() - t) / 1000, cpu: cpuNow() - c, main: mainCpu() - m };
      // eval's stages from its run record: the tail is everything after the last score (metrics, slices' masks)
      const tm = r?.record?.timings;
      if (tm?.metricsSeconds !== undefined)
        console.log(
          `    stages: open ${tm.openSeconds.toFixed(2)} s, scoring ${tm.inferenceSeconds.toFixed(2)} s, after the last score ${tm.metricsSeconds.toFixed(2)} s`,
        );
      console.log(
        `${e.dir} ${what}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, main thread ${s.main.toFixed(2)} s [load ${l0} -> ${load()}]\n` +
          `    cpu s by thread (sampled every 50 ms; new = started during the run): ${perThread.map(([n, c]) => `${n} ${c.toFixed(2)}`).join(', ')}`,
      );
      const id = `${e.dir}\t${key}`;
      got.set(id, [...(got.get(id) ?? []), s]);
      if (r?.result) {
        const json = resultJson(r.result);
        if (results.has(key) && results.get(key) !== json) console.log(`  ${key}: results DIFFER from the first run`);
        results.set(key, json);
      }
    }
console.log(`medians of ${repeat} (wall s / cpu s / main-thread cpu s):`);
for (const [key, what] of cases)
  console.log(
    `  ${what}: ` +
      engines
        .map((e) => {
          const ms = got.get(`${e.dir}\t${key}`);
          const f = (k) => median(ms.map((m) => m[k])).toFixed(2);
          return `${e.dir} ${f('wall')} / ${f('cpu')} / ${f('main')}`;
        })
        .join('  |  '),
  );
if (results.size && engines.length > 1) console.log('results: identical across the trees (eval JSON less seconds)');
