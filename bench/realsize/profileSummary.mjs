// Where the time goes, per thread, from the .cpuprofile files `node --cpu-prof --cpu-prof-dir=DIR` writes (one per
// thread): each thread's sampled wall seconds, its idle / GC / program share, and the functions with the most self
// time. Threads are named by the script they run (main, inference worker, ONNX worker, compute worker, ...).
//   node bench/realsize/profileSummary.mjs DIR [top N]
import * as fs from 'fs';
import * as path from 'path';

const dir = process.argv[2];
const top = Number(process.argv[3] ?? 12);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
const role = (nodes) => {
  const urls = new Set(nodes.map((n) => n.callFrame.url));
  for (const [name, key] of [
    ['inference worker', 'inferenceWorkerMain'],
    ['ONNX worker', 'onnxWorker'],
    ['compute (metrics) worker', 'compute/worker'],
  ])
    if ([...urls].some((u) => u.includes(key))) return name;
  return [...urls].some((u) => u.includes('evalTimeline') || u.includes('realsize.mjs')) ? 'main' : 'other';
};
for (const f of files.sort()) {
  const p = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = p.timeDeltas;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1e6);
  });
  const total = (p.endTime - p.startTime) / 1e6;
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`\n## ${role(p.nodes)} (${f}): ${total.toFixed(2)} s sampled`);
  for (const [k, s] of rows) console.log(`${s.toFixed(2).padStart(7)} s  ${k}`);
}
