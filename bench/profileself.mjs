// Self time per function of `node --cpu-prof` profiles (one file per thread), to see where a job's time goes:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/ablatepass.mjs --skip1m && node bench/profileself.mjs /tmp/prof [top]
// Prints per profile: sampled seconds, then the top functions by self seconds (name, file:line).
import * as fs from 'fs';
import * as path from 'path';
const [dir, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 12) || 12;
for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()) {
  const p = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anon)'} ${path.basename(cf.url)}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1e6);
  }
  const total = (p.endTime - p.startTime) / 1e6;
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`${file}: ${total.toFixed(2)} s sampled`);
  for (const [k, s] of rows) console.log(`  ${s.toFixed(3)}  ${k}`);
}

// With --busy FUNC: when each profile's samples in FUNC (e.g. `(anon) backend.js:115`, onnxruntime's run) begin and
// end, on the clock shared by all threads' profiles, and the gaps between them longer than 5 ms (summed): how much
// of a job's wall time the inference worker waited for the rest.
const busyAt = process.argv.indexOf('--busy');
if (busyAt > 0) {
  const want = process.argv[busyAt + 1];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()) {
    const p = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    let t = p.startTime;
    const hits = [];
    for (let i = 0; i < p.samples.length; i++) {
      t += p.timeDeltas[i] ?? 0;
      const cf = byId.get(p.samples[i]).callFrame;
      if (`${cf.functionName || '(anon)'} ${path.basename(cf.url)}:${cf.lineNumber + 1}` === want) hits.push(t);
    }
    if (hits.length < 2) continue;
    let gaps = 0,
      n = 0;
    for (let i = 1; i < hits.length; i++)
      if (hits[i] - hits[i - 1] > 5000) {
        gaps += hits[i] - hits[i - 1];
        n++;
      }
    console.log(
      `${file}: ${want} from ${(hits[0] / 1e6).toFixed(3)} to ${(hits.at(-1) / 1e6).toFixed(3)} s (${((hits.at(-1) - hits[0]) / 1e6).toFixed(3)} s), ${n} gaps > 5 ms = ${(gaps / 1e6).toFixed(3)} s`,
    );
  }
}
