/**
 * LIS on generated worlds whose truth is known, the slot ceiling against brute force, paired intervals of
 * identical variants, and the probe's step control.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { ceiling } from '../src/engine/ablation/ceiling';
import { requireConfig } from '../src/engine/config/loadConfig';
import { crossFit } from '../src/engine/lis/crossFit';
import { lis, parseSweep, usersToResolve } from '../src/engine/lis/lis';
import { fitProbe, probeScores } from '../src/engine/lis/probe';
import { percentileInterval } from '../src/engine/metrics/bootstrap';
import { pairedMetrics } from '../src/engine/metrics/paired';
import { renderReport } from '../src/engine/report/html';
import { seededRandom } from '../src/engine/util/random';
import { tempDir, tinyLogit, TINY_MODEL, writeCsv } from './helpers';

/**
 * Users with a hidden taste (item parity) engage items 0..9 of the tiny model over time 0..199; the evaluation
 * period is t >= 100. `tasteWeight` 0: labels follow the tiny ranker alone, so other users' co-engagement carries
 * nothing the ranker lacks (true LIS 0). Above 0: labels also depend on the taste, which other users with the same
 * taste reveal through co-engagement (true LIS > 0).
 */
function world(tasteWeight: number, seed: number): string {
  const rng = seededRandom(seed);
  const dir = tempDir('reclens-world-');
  fs.copyFileSync(TINY_MODEL, path.join(dir, 'model.onnx'));
  const evalRows: Record<string, unknown>[] = [],
    interactions: Record<string, unknown>[] = [];
  for (let u = 0; u < 400; u++) {
    const taste = u % 2;
    for (let e = 0; e < 16; e++) {
      const time = e < 8 ? Math.floor(rng() * 100) : 100 + Math.floor(rng() * 100);
      const item = Math.floor(rng() * 10);
      const r = {
        d0: +(rng() * 2 - 1).toFixed(3),
        d1: +(rng() * 2 - 1).toFixed(3),
        d2: +(rng() * 2 - 1).toFixed(3),
        item,
      };
      const z = tinyLogit(r) + tasteWeight * (item % 2 === taste ? 1 : -1);
      const label = rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      interactions.push({ user: u, item, label, time });
      if (time >= 100) evalRows.push({ user: u, ...r, label, time });
    }
  }
  evalRows.sort((a, b) => (a.time as number) - (b.time as number));
  // The same co-engagement (window 30) as a pairs file with one row per user and event pair, and aggregated.
  const perUser: Record<string, unknown>[] = [];
  const byUser = new Map<number, { item: number; time: number }[]>();
  for (const e of interactions)
    if (e.label) {
      const u = e.user as number;
      if (!byUser.has(u)) byUser.set(u, []);
      byUser.get(u)!.push({ item: e.item as number, time: e.time as number });
    }
  for (const [user, events] of byUser)
    for (const a of events)
      for (const b of events) {
        if (a.item < b.item && Math.abs(a.time - b.time) <= 30)
          perUser.push({ left: a.item, right: b.item, user, time: Math.max(a.time, b.time) });
      }
  writeCsv(path.join(dir, 'pairs_by_user.csv'), perUser);
  const totals = new Map<string, number>();
  for (const p of perUser) totals.set(`${p.left},${p.right}`, (totals.get(`${p.left},${p.right}`) ?? 0) + 1);
  writeCsv(
    path.join(dir, 'pairs_total.csv'),
    [...totals].map(([k, weight]) => ({ left: Number(k.split(',')[0]), right: Number(k.split(',')[1]), weight })),
  );
  writeCsv(path.join(dir, 'eval.csv'), evalRows);
  writeCsv(path.join(dir, 'interactions.csv'), interactions);
  const config = {
    model: { path: 'model.onnx', output: 'prob', outputKind: 'probability' },
    data: { path: 'eval.csv', label: 'label', group: 'user', item: 'item', time: 'time' },
    inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' } },
    interactions: { path: 'interactions.csv', user: 'user', item: 'item', label: 'label', time: 'time' },
    preferences: { coengaged: { window: 30, minCount: 1 } },
    runtime: { executionProviders: ['cpu'], batchSize: 512 },
  };
  fs.writeFileSync(path.join(dir, 'reclens.json'), JSON.stringify(config));
  return path.join(dir, 'reclens.json');
}

test("a world where other users' co-engagement carries no information: |LIS| < 0.01", async () => {
  const r = (await lis(requireConfig(world(0, 5)).config, { seed: 3, bootstrap: 100, providers: ['cpu'], tables: [] }))
    .result;
  const p = r.preferences[0];
  assert.equal(p.selfLeak, 'corrected');
  assert.ok(Math.abs(p.lis) < 0.01, `LIS ${p.lis}`);
  assert.ok(p.lisCi![0] <= 0 && p.lisCi![1] >= 0, `interval ${p.lisCi}`);
  assert.ok(
    r.diagnosis.some((d) => /no evidence at this sample size/.test(d)),
    r.diagnosis.join('\n'),
  );
});

test('a world where it does: LIS clearly above 0, its interval excludes 0', async () => {
  const r = (await lis(requireConfig(world(3, 5)).config, { seed: 3, bootstrap: 100, providers: ['cpu'], tables: [] }))
    .result;
  const p = r.preferences[0];
  assert.ok(p.lis > 0.03, `LIS ${p.lis}`);
  assert.ok(p.lisCi![0] > 0.01, `interval ${p.lisCi}`);
  assert.ok(r.diagnosis.some((d) => /can add at most about/.test(d)));
});

test('a pairs file with one row per user and event gives exactly the leave-one-user-out LIS and value of the interactions; without users it cannot be corrected', async () => {
  const file = world(0, 7);
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.preferences = {
    coengaged: { window: 30, minCount: 1 },
    byUser: { pairs: 'pairs_by_user.csv' },
    total: { pairs: 'pairs_total.csv' },
  };
  fs.writeFileSync(file, JSON.stringify(config));
  const r = (
    await lis(requireConfig(file).config, { seed: 3, bootstrap: 0, splits: 2, providers: ['cpu'], tables: [] })
  ).result;
  const [co, byUser, total] = ['coengaged', 'byUser', 'total'].map((n) => r.preferences.find((p) => p.name === n)!);
  assert.equal(byUser.selfLeak, 'corrected');
  assert.equal(byUser.lis, co.lis);
  assert.equal(byUser.value, co.value);
  assert.deepEqual(byUser.lisSpread, co.lisSpread);
  assert.equal(total.selfLeak, 'uncorrectable');
  assert.equal(total.value, null);
  assert.ok(r.diagnosis.some((d) => d.startsWith('total: cannot be corrected for self-leakage')));
  // The uncorrected file counts each positive row's own engagement: it reads above the corrected LIS in a world where the truth is 0.
  assert.ok(total.lis > co.lis, `${total.lis} vs ${co.lis}`);
});

test('the sweep re-runs LIS per window and minimum count, on the same folds', async () => {
  const run = await lis(requireConfig(world(3, 6)).config, {
    seed: 3,
    bootstrap: 20,
    splits: 2,
    providers: ['cpu'],
    tables: [],
    sweep: { window: [5, 1000], minCount: [1, 400] },
  });
  const r = run.result;
  assert.deepEqual(
    r.sweep!.map((s) => [s.window, s.minCount]),
    [
      [5, 1],
      [5, 400],
      [1000, 1],
      [1000, 400],
    ],
  );
  const at = (w: number, m: number) => r.sweep!.find((s) => s.window === w && s.minCount === m)!;
  // A minimum count no pair reaches leaves no preference data: LIS is exactly 0.
  assert.equal(at(5, 400).leakPairs, 0);
  assert.equal(at(5, 400).lis, 0);
  assert.ok(at(1000, 1).leakPairs >= at(5, 1).leakPairs);
  assert.ok(at(1000, 1).lis > 0.02, `${at(1000, 1).lis}`);
  // The HTML report shows the sweep (chart and table), the probe-capacity check and the spread over splits.
  const html = renderReport(run.record);
  assert.match(html, /Sensitivity: how the preference data is built/);
  assert.match(html, /aria-label="LIS by window and minimum count"/);
  for (const s of r.sweep!) assert.ok(html.includes(s.lis.toFixed(4)), `sweep LIS ${s.lis}`);
  assert.match(html, /Probe capacity/);
  assert.ok(
    html.includes(`${r.preferences[0].lisSpread[0].toFixed(4)} to ${r.preferences[0].lisSpread[1].toFixed(4)}`),
  );
});

test('slot ceiling: the oracle AUC equals brute force over every assignment of candidate values (tiny case)', async () => {
  const dir = tempDir();
  fs.copyFileSync(TINY_MODEL, path.join(dir, 'model.onnx'));
  const rows = [
    { d0: 0.1, d1: -0.2, d2: 0.05, item: 1, label: 1 },
    { d0: -0.4, d1: 0.3, d2: 0.2, item: 4, label: 0 },
    { d0: 0.7, d1: 0.1, d2: -0.3, item: 7, label: 1 },
    { d0: 0.0, d1: -0.6, d2: -0.1, item: 1, label: 0 },
    { d0: -0.2, d1: 0.2, d2: 0.4, item: 4, label: 0 },
    { d0: 0.3, d1: 0.5, d2: -0.5, item: 7, label: 1 },
    { d0: 0.9, d1: -0.9, d2: 0.0, item: 4, label: 0 },
  ];
  writeCsv(path.join(dir, 'data.csv'), rows);
  fs.writeFileSync(
    path.join(dir, 'reclens.json'),
    JSON.stringify({
      model: { path: 'model.onnx', output: 'prob', outputKind: 'probability' },
      data: { path: 'data.csv', label: 'label' },
      inputs: { dense: { columns: ['d0', 'd1', 'd2'] }, item: { column: 'item' } },
      runtime: { executionProviders: ['cpu'] },
    }),
  );
  const r = (
    await ceiling(requireConfig(path.join(dir, 'reclens.json')).config, {
      seed: 1,
      candidates: 32,
      slots: ['item'],
      providers: ['cpu'],
    })
  ).result.results[0];
  assert.equal(r.candidates, 3);
  const candidates = [1, 4, 7];
  const pairAuc = (s: number[]) => {
    let num = 0,
      den = 0;
    rows.forEach((a, i) =>
      rows.forEach((b, j) => {
        if (a.label === 1 && b.label === 0) {
          den++;
          num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
      }),
    );
    return num / den;
  };
  let best = -Infinity;
  for (let code = 0; code < 3 ** rows.length; code++) {
    let c = code;
    const s = rows.map((row) => {
      const item = candidates[c % 3];
      c = Math.floor(c / 3);
      return tinyLogit({ ...row, item });
    });
    best = Math.max(best, pairAuc(s));
  }
  assert.ok(Math.abs(r.aucOracle - best) < 1e-12, `oracle ${r.aucOracle} vs brute force ${best}`);
  assert.ok(best < 1, 'a case where the oracle is not trivially perfect');
});

test('paired intervals of two identical variants have zero width', () => {
  const rng = seededRandom(9);
  const n = 600;
  const labels = Uint8Array.from({ length: n }, () => (rng() < 0.4 ? 1 : 0));
  const groups = Int32Array.from({ length: n }, (_, r) => r % 60);
  const scores = Float32Array.from(labels, (y) => y + rng() * 2);
  const scoring = { scores, probs: Float32Array.from(scores, (s) => 1 / (1 + Math.exp(-s))) };
  const paired = pairedMetrics({
    labels,
    groups,
    groupCount: 60,
    base: scoring,
    variants: [[{ ...scoring, scores: Float32Array.from(scores) }]],
    bootstrap: 100,
    seed: 1,
  });
  assert.deepEqual(paired.variants[0].ci!.deltaAuc, [0, 0]);
  // Cross-fitted probes: two identical feature sets give identical replicates, so their difference and ratio are exact.
  const base = Float64Array.from(scores);
  const extra = Float64Array.from({ length: 2 * n }, () => rng());
  const out = crossFit({
    labels,
    groups,
    groupCount: 60,
    base,
    extras: [extra, Float64Array.from(extra)],
    folds: 2,
    splits: 3,
    seed: 2,
    bootstrap: 60,
    richer: false,
  });
  const [a, b] = out.logistic.replicates;
  assert.deepEqual(percentileInterval(Array.from(a, (x, i) => x - b[i])), [0, 0]);
  assert.ok(
    percentileInterval(Array.from(a))[1] > percentileInterval(Array.from(a))[0],
    'each alone has a real interval',
  );
});

test('the probe stays finite on separable data (line search), and ranks it perfectly', () => {
  const n = 400,
    p = 1;
  const X = new Float64Array(n),
    y = new Uint8Array(n),
    fit = new Uint8Array(n).fill(1);
  for (let r = 0; r < n; r++) {
    y[r] = r % 2;
    X[r] = (y[r] ? 1 : -1) * (1 + (r % 7)) * 1e3;
  }
  const m = fitProbe(X, p, y, fit);
  assert.ok(Array.from(m.weights).every(Number.isFinite), `${m.weights}`);
  assert.ok(m.iterations < 100, `${m.iterations} iterations`);
  const s = probeScores(m, X, p);
  for (let r = 0; r < n; r++) assert.equal(s[r] > 0, y[r] === 1);
});

test('the sample-size hint: users scale with (half-width / effect)^2', () => {
  assert.equal(usersToResolve(100, [-0.01, 0.03], 0.01), 400);
  assert.equal(usersToResolve(300, [-0.002, 0.004], 0.001), 2700);
  assert.equal(usersToResolve(300, [0.01, 0.05], 0.03), 300, 'never fewer users than today');
});

test('--sweep parses windows with units and counts, in one argument or several; a bad one is a usage error', () => {
  const want = { window: [7 * 86400, 30 * 86400, 90 * 86400], minCount: [1, 2, 5] };
  assert.deepEqual(parseSweep(['window=7d,30d,90d minCount=1,2,5']), want);
  assert.deepEqual(parseSweep(['window=7d,30d,90d', 'minCount=1,2,5']), want);
  assert.deepEqual(parseSweep(['window=14,3600s']), { window: [14, 3600] });
  assert.throws(() => parseSweep(['window=7 days']), /--sweep/);
  assert.throws(() => parseSweep(['minCount=-1']), /--sweep/);
  assert.throws(() => parseSweep(['depth=3']), /window=<list> and\/or minCount=<list>/);
});
