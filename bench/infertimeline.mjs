// When onnxruntime ran and when it waited, per pass, in an inference worker (issue #13, docs/performance.md Round 8):
//   RECLENS_INFER_TIMELINE=DIR node bench/ablatepass.mjs --skip1m && node bench/infertimeline.mjs DIR
// Reads DIR/infer-PID-THREAD.json (written by model/inferenceWorkerMain.ts: per request, ms since the epoch:
// received, feeds wrapped, run began, run ended, reply posted, rows). A pass ends at a batch shorter than the
// longest (the last rows), or every --batches N requests. Wall times, so on a busy machine "run" includes time the
// worker's thread waited for a core; "waited" is the time between one reply and the next request's start.
import * as fs from 'fs';
import * as path from 'path';

const argv = process.argv.slice(2);
const at = argv.indexOf('--batches');
const perPass = at >= 0 ? Number(argv.splice(at, 2)[1]) : undefined;
const dir = argv[0];
if (!dir) {
  console.error('usage: node bench/infertimeline.mjs DIR [--batches N]');
  process.exit(2);
}
const ms = (x) => x.toFixed(1).padStart(7);
for (const f of fs
  .readdirSync(dir)
  .filter((x) => /^infer-.*\.json$/.test(x))
  .sort()) {
  const reqs = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  if (!reqs.length) continue;
  const most = Math.max(...reqs.map((r) => r[5]));
  const passes = [];
  let cur = [];
  for (const r of reqs) {
    cur.push(r);
    if ((perPass && cur.length === perPass) || (!perPass && r[5] < most)) (passes.push(cur), (cur = []));
  }
  if (cur.length) passes.push(cur);
  console.log(`${f}: ${reqs.length} requests of up to ${most} rows, ${passes.length} passes (ms)`);
  console.log('   pass batches    span     run  wrap+reply  waited  (first wait: before its first batch)');
  let prevEnd;
  const tot = { span: 0, run: 0, other: 0, wait: 0 };
  passes.forEach((p, i) => {
    let run = 0,
      other = 0,
      wait = 0,
      first = 0;
    p.forEach((r, k) => {
      run += r[3] - r[2];
      other += r[2] - r[1] + (r[4] - r[3]);
      if (prevEnd !== undefined) {
        const w = Math.max(0, r[1] - prevEnd);
        wait += w;
        if (k === 0) first = w;
      }
      prevEnd = r[4];
    });
    const span = p[p.length - 1][4] - p[0][1] + first;
    tot.span += span;
    tot.run += run;
    tot.other += other;
    tot.wait += wait;
    console.log(
      `   ${String(i).padStart(4)} ${String(p.length).padStart(7)} ${ms(span)} ${ms(run)} ${ms(other).padStart(11)} ${ms(wait)}  (${first.toFixed(1)})`,
    );
  });
  console.log(
    `    all ${String(reqs.length).padStart(7)} ${ms(tot.span)} ${ms(tot.run)} ${ms(tot.other).padStart(11)} ${ms(tot.wait)}`,
  );
}
