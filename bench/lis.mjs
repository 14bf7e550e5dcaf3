// LIS (the public lis job) on the MovieLens bench rows, time and peak memory in a fresh process (run by bench/run.mjs).
//   node bench/lis.mjs <reclens.json> <rows>      Prints one JSON line.
import * as fs from 'fs';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { lis } = require('../out/src/engine/lis/lis.js');
const [cfgFile, rows] = process.argv.slice(2);
const { config } = requireConfig(cfgFile);
const t = performance.now();
const users = new Set();
const { result } = await lis(config, { providers: ['cpu'], limit: Number(rows), seed: 1, bootstrap: 0 });
const seconds = (performance.now() - t) / 1000;
const hwm = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)[1];
const { withJob } = require('../out/src/engine/job.js');
await withJob(config, { providers: ['cpu'], limit: Number(rows) }, undefined, async (ctx) => { users.add(ctx.mat.groupCount); });
console.log(JSON.stringify({ rows: result.rows, users: [...users][0], seconds, peakRssMiB: +hwm / 1024 }));
