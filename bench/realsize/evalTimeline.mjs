// One end-to-end eval of the real-size ranker with a timeline, for profiling (docs/performance.md, round 7):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/realsize/evalTimeline.mjs [--rows N] [--batch N] [--no-slices]
//   node bench/profsummary.mjs /tmp/prof --roles --top 12
// Prints, in seconds from the call: when each progress phase first and last reported, how many inference batches
// came back, and the run record's stages; CPU seconds (all threads) and the 1-minute load. Seed 1, CPU provider.
// --out FILE writes the eval's result without its timings (and the record's options), to compare builds bit for bit.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const flag = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const { requireConfig } = require('../../out/src/engine/config/loadConfig.js');
const { evaluate } = require('../../out/src/engine/evaluate.js');
const { config } = requireConfig(path.join(here, '..', 'out', 'realsize', 'reclens.json'));
const limit = flag('--rows'); // none: every row of the file (1M), no SQL LIMIT, as `reclens eval` without --limit
const batchSize = flag('--batch');
const round = (x) => Math.round(x * 1000) / 1000;
const stages = {};
let batches = 0;
const load1 = os.loadavg()[0];
const c0 = process.cpuUsage();
const t0 = performance.now();
const at = () => round((performance.now() - t0) / 1000);
const control = {
  onProgress: (e) => {
    if (e.phase === 'inference') batches++;
    stages[e.phase] = [stages[e.phase]?.[0] ?? at(), at()];
  },
};
const slices = process.argv.includes('--no-slices') ? { slices: false } : {};
const ev = await evaluate(config, { providers: ['cpu'], limit, bootstrap: 0, seed: 1, batchSize, ...slices }, control);
const rows = ev.record.data.rows;
if (process.argv.includes('--out')) {
  const { seconds: _, ...result } = ev.result;
  const file = process.argv[process.argv.indexOf('--out') + 1];
  fs.writeFileSync(file, JSON.stringify({ result, options: ev.record.options, model: ev.record.model }));
}
const wall = at();
const cu = process.cpuUsage(c0);
console.log(
  JSON.stringify({
    rows,
    sqlLimit: limit !== undefined,
    batchSize: ev.record.options.batchSize,
    auc: ev.result.auc,
    wall,
    cpu: round((cu.user + cu.system) / 1e6),
    load1: round(load1),
    rowsPerSec: Math.round(rows / wall),
    timeline: stages,
    inferenceBatches: batches,
    record: Object.fromEntries(Object.entries(ev.record.timings).map(([k, v]) => [k, round(v)])),
  }),
);
