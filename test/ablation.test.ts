/** Ablation, ceiling and LIS on examples/planted, whose truths are known (examples/planted/truth.json). */
import assert from 'node:assert/strict';
import * as path from 'path';
import { before, test } from 'node:test';
import { ablate, AblationResult } from '../src/engine/ablation/ablate';
import { ceiling, CeilingResult } from '../src/engine/ablation/ceiling';
import { requireConfig } from '../src/engine/config/loadConfig';
import { diagnose, lis, LisResult } from '../src/engine/lis/lis';
import { fitProbe, probeScores } from '../src/engine/lis/probe';
import { seededRandom } from '../src/engine/util/random';
import { ROOT } from './helpers';

const PLANTED = path.join(ROOT, 'examples', 'planted', 'reclens.json');
const config = () => requireConfig(PLANTED).config;
let ab: AblationResult;
let ceil: CeilingResult;
let li: LisResult;

before(async () => {
  ab = (await ablate(config(), { seed: 11, repeats: 3, bootstrap: 200, providers: ['cpu'] })).result;
  ceil = (await ceiling(config(), { seed: 11, candidates: 32, providers: ['cpu'] })).result;
  li = (await lis(config(), { seed: 11, bootstrap: 200, providers: ['cpu'] })).result;
});

const row = (slot: string, method: string) => ab.results.find((r) => r.slot === slot && r.method === method)!;

test('the leaking slot has the largest impact, by mask and by permutation', () => {
  for (const method of ['mask', 'permute']) {
    const leak = row('leak', method).deltaAuc;
    for (const other of ['strong', 'useless', 'item_emb']) assert.ok(leak > 2 * row(other, method).deltaAuc, `${method}: leak ${leak} vs ${other}`);
  }
});

test("the useless slot's impact interval contains 0; the strong slot's does not", () => {
  for (const method of ['mask', 'permute']) {
    const u = row('useless', method).ci!.deltaAuc;
    assert.ok(u[0] <= 0 && u[1] >= 0, `useless ${method} ${u}`);
    const s = row('strong', method).ci!.deltaAuc;
    assert.ok(s[0] > 0, `strong ${method} ${s}`);
  }
});

test('cost: S slots x R repeats take S*R + S + 1 inference passes', () => {
  assert.equal(ab.inferencePasses, 4 * 3 + 4 + 1);
});

test('same seed, same numbers; another seed moves the permutations', async () => {
  const again = (await ablate(config(), { seed: 11, repeats: 3, bootstrap: 200, providers: ['cpu'], slots: ['strong'] })).result;
  assert.deepEqual(again.results.find((r) => r.method === 'permute'), row('strong', 'permute'));
  const other = (await ablate(config(), { seed: 12, repeats: 3, bootstrap: 0, providers: ['cpu'], slots: ['strong'], method: 'permute' })).result;
  assert.notEqual(other.results[0].auc, row('strong', 'permute').auc);
});

test('a group of slots ablated together removes at least what each removes alone', async () => {
  const g = (await ablate(config(), { seed: 11, method: 'mask', bootstrap: 0, providers: ['cpu'], slots: ['strong+item_emb'] })).result.results[0];
  assert.equal(g.slot, 'strong+item_emb');
  assert.deepEqual(g.inputs, ['strong', 'item_emb']);
  assert.ok(g.deltaAuc >= row('strong', 'mask').deltaAuc && g.deltaAuc >= row('item_emb', 'mask').deltaAuc);
});

test('ceiling: oracle >= full >= ... and the leak slot realises the largest share of its ceiling', () => {
  for (const r of ceil.results) {
    assert.ok(r.aucOracle >= r.aucFull - 1e-9, `${r.slot} oracle ${r.aucOracle} < full ${r.aucFull}`);
    assert.ok(Math.abs(r.ceiling - (r.aucOracle - r.aucMask)) < 1e-12);
  }
  const byEff = [...ceil.results].sort((a, b) => (b.efficiency ?? -1) - (a.efficiency ?? -1));
  assert.equal(byEff[0].slot, 'leak');
  assert.ok(byEff[0].efficiency! > 0.5, `leak efficiency ${byEff[0].efficiency}`);
  const useless = ceil.results.find((r) => r.slot === 'useless')!;
  assert.ok(useless.ceiling < 0.05 && Math.abs(useless.realised) < 0.002, JSON.stringify(useless));
});

test('LIS of the leaked preferences exceeds their historical value and the historical dataset', () => {
  const leak = li.preferences.find((p) => p.name === 'prefs_leak')!;
  const hist = li.preferences.find((p) => p.name === 'prefs_hist')!;
  assert.ok(leak.lis > leak.value, `${leak.lis} vs ${leak.value}`);
  assert.ok(leak.lis > hist.value);
  assert.ok(leak.lisCi![0] > 0, 'leaked LIS interval excludes 0');
});

test("the aligned table's AIS exceeds the raw one's", () => {
  const raw = li.tables.find((t) => t.name === 'item_raw')!;
  const aligned = li.tables.find((t) => t.name === 'item_aligned')!;
  assert.ok(aligned.ais > raw.ais, `${aligned.ais} vs ${raw.ais}`);
  assert.ok(Math.abs(aligned.efficiency.prefs_leak! - aligned.ais / li.preferences.find((p) => p.name === 'prefs_leak')!.lis) < 1e-12);
});

test('diagnosis sentences follow the numbers and their intervals', () => {
  const d = diagnose({
    preferences: [
      { name: 'P0', lis: 0.001, lisCi: [-0.002, 0.004], value: 0, valueCi: null, leakPairs: 1, histPairs: 1, timed: true },
      { name: 'P1', lis: 0.02, lisCi: [0.01, 0.03], value: 0.01, valueCi: null, leakPairs: 1, histPairs: 1, timed: true },
    ],
    tables: [{ name: 'T1', ais: 0.002, aisCi: null, efficiency: { P0: 2, P1: 0.1 } }, { name: 'T2', ais: 0.018, aisCi: null, efficiency: { P0: 18, P1: 0.9 } }],
  });
  assert.ok(d.some((s) => s.startsWith('P0') && /cannot lift this ranker: change the data before aligning an MLLM/.test(s)));
  assert.ok(d.some((s) => s.startsWith('T1') && /P1/.test(s) && /alignment is the bottleneck/.test(s)));
  assert.ok(d.some((s) => s.startsWith('T2') && /realises most of what this data can give/.test(s)));
  assert.ok(!d.some((s) => /T\d realises .* P0/.test(s)), 'no efficiency verdict against data that cannot lift the ranker');
});

test('the probe (IRLS logistic regression) recovers known coefficients', () => {
  const rng = seededRandom(4);
  const n = 20000, p = 2;
  const X = new Float64Array(n * p), y = new Uint8Array(n), fit = new Uint8Array(n).fill(1);
  for (let r = 0; r < n; r++) {
    const a = rng() * 4 - 2, b = rng() * 4 - 2;
    X[r * 2] = a; X[r * 2 + 1] = b;
    y[r] = rng() < 1 / (1 + Math.exp(-(0.5 + 1.5 * a - 1.0 * b))) ? 1 : 0;
  }
  const m = fitProbe(X, p, y, fit, 0);
  const s = probeScores(m, Float64Array.from([0, 0, 1, 0]), 2);
  assert.ok(Math.abs(s[0] - 0.5) < 0.08, `intercept ${s[0]}`);
  assert.ok(Math.abs(s[1] - s[0] - 1.5) < 0.08, `slope ${s[1] - s[0]}`);
});

test('frozen substitution (3c) re-scores the ranker with T_P for each table-fed input', async () => {
  const r = (await lis(config(), { seed: 11, bootstrap: 0, providers: ['cpu'], preferences: ['prefs_leak'], tables: [], substitution: true })).result;
  assert.equal(r.substitution?.length, 1);
  const s = r.substitution![0];
  assert.equal(s.input, 'item_emb');
  assert.equal(s.table, 'item_raw');
  assert.ok(Math.abs(s.auc - ab.baseline.auc) < 1e-12);
  assert.ok(Number.isFinite(s.aucSubstituted) && s.aucSubstituted !== s.auc);
});
