// LIS (the public lis job, default 2 folds x 5 splits, 200 bootstrap replicates, seed 1): time, CPU and peak memory
// in a fresh process (run by bench/run.mjs).
//   node bench/lis.mjs <reclens.json> [rows] [--sweep]      Prints one JSON line.
import * as fs from 'fs';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { lis } = require('../out/src/engine/lis/lis.js');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const [cfgFile, rows] = args;
const { config } = requireConfig(cfgFile);
const phases = [];
const control = {
  onProgress: (p) => {
    if (!phases.some(([name]) => name === p.phase)) {
      const now = performance.now();
      phases.push([p.phase, now]);
    }
  },
};
const t = performance.now();
const sweep = process.argv.includes('--sweep')
  ? { window: [7 * 86400, 30 * 86400, 90 * 86400], minCount: [1, 2, 5] }
  : undefined;
const { result } = await lis(
  config,
  { providers: ['cpu'], limit: rows ? Number(rows) : undefined, seed: 1, sweep },
  control,
);
const seconds = (performance.now() - t) / 1000;
const cpu = process.cpuUsage();
const hwm = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)[1];
const phaseSeconds = Object.fromEntries(
  phases.map(([name, at], k) => [name, +(((phases[k + 1]?.[1] ?? t + seconds * 1000) - at) / 1000).toFixed(2)]),
);
console.log(
  JSON.stringify({
    rows: result.rows,
    users: result.users,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: +hwm / 1024,
    phaseSeconds,
    leakPairs: result.preferences.map((p) => p.leakPairs),
    lis: result.preferences.map((p) => +p.lis.toFixed(4)),
    sweepRows: result.sweep?.length ?? 0,
  }),
);
