// Peak resident memory of one job in a fresh process (run by bench/run.mjs):
//   node bench/memory.mjs eval <reclens.json>     full eval (scoring + metrics)
//   node bench/memory.mjs ablate <reclens.json>   ablate 2 slots x (mask + 2 permutations), bootstrap 100
// Decoded rows start cold (no .reclens/cache). Prints one JSON line.
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { requireConfig } = require('../out/src/engine/config/loadConfig.js');
const { evaluate } = require('../out/src/engine/evaluate.js');
const { ablate } = require('../out/src/engine/ablation/ablate.js');
const [mode, cfgFile] = process.argv.slice(2);
const { config } = requireConfig(cfgFile);
fs.rmSync(path.join(path.dirname(cfgFile), '.reclens', 'cache'), { recursive: true, force: true });
const status = () => fs.readFileSync('/proc/self/status', 'utf8');
const before = status().match(/VmRSS:\s+(\d+)/)[1];
const t = performance.now();
let rows, auc;
if (mode === 'ablate') {
  const { result } = await ablate(config, {
    providers: ['cpu'],
    slots: ['item_content', 'numeric'],
    repeats: 2,
    bootstrap: 100,
    seed: 1,
  });
  rows = result.rows;
  auc = result.baseline.auc;
} else {
  const { result } = await evaluate(config, { providers: ['cpu'], bootstrap: 0 });
  rows = result.rows;
  auc = result.auc;
}
// VmHWM covers this process's threads (the inference and compute workers are threads of it).
const hwm = status().match(/VmHWM:\s+(\d+)/)[1];
console.log(
  JSON.stringify({
    mode,
    rows,
    auc,
    seconds: (performance.now() - t) / 1000,
    rssBeforeMiB: +before / 1024,
    peakRssMiB: +hwm / 1024,
  }),
);
