// Peak resident memory of a full `eval` (scoring + metrics) over the 1M-row bench data. Run by bench/run.mjs.
import * as fs from 'fs';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { evaluate } = require('../out/src/engine/evaluate.js');
const { config } = requireConfig(process.argv[2]);
const before = fs.readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\s+(\d+)/)[1];
const t = performance.now();
const { result } = await evaluate(config, { providers: ['cpu'], bootstrap: 0 });
const hwm = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)[1];
console.log(JSON.stringify({ rows: result.rows, auc: result.auc, seconds: (performance.now() - t) / 1000, rssBeforeMiB: +before / 1024, peakRssMiB: +hwm / 1024 }));
