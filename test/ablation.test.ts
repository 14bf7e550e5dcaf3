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
    for (const other of ['strong', 'useless', 'item_emb'])
      assert.ok(leak > 2 * row(other, method).deltaAuc, `${method}: leak ${leak} vs ${other}`);
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
  const again = (
    await ablate(config(), { seed: 11, repeats: 3, bootstrap: 200, providers: ['cpu'], slots: ['strong'] })
  ).result;
  assert.deepEqual(
    again.results.find((r) => r.method === 'permute'),
    row('strong', 'permute'),
  );
  const other = (
    await ablate(config(), {
      seed: 12,
      repeats: 3,
      bootstrap: 0,
      providers: ['cpu'],
      slots: ['strong'],
      method: 'permute',
    })
  ).result;
  assert.notEqual(other.results[0].auc, row('strong', 'permute').auc);
});

test('a group of slots ablated together removes at least what each removes alone', async () => {
  const g = (
    await ablate(config(), { seed: 11, method: 'mask', bootstrap: 0, providers: ['cpu'], slots: ['strong+item_emb'] })
  ).result.results[0];
  assert.equal(g.slot, 'strong+item_emb');
  assert.deepEqual(g.inputs, ['strong', 'item_emb']);
  assert.ok(g.deltaAuc >= row('strong', 'mask').deltaAuc && g.deltaAuc >= row('item_emb', 'mask').deltaAuc);
});

test('ceiling: oracle >= full >= ... and the leak slot realises the largest share of its ceiling', () => {
  for (const r of ceil.results) {
    assert.ok(r.aucOracle >= r.aucFull - 1e-9, `${r.slot} oracle ${r.aucOracle} < full ${r.aucFull}`);
  }
  const byEff = [...ceil.results].sort((a, b) => (b.efficiency ?? -1) - (a.efficiency ?? -1));
  assert.equal(byEff[0].slot, 'leak');
  assert.ok(byEff[0].efficiency! > 0.5, `leak efficiency ${byEff[0].efficiency}`);
  const useless = ceil.results.find((r) => r.slot === 'useless')!;
  assert.ok(useless.ceiling < 0.05 && Math.abs(useless.realised) < 0.002, JSON.stringify(useless));
});

test('LIS of co-engagement built from interactions: leaked above honest value, both resolved; pairs files flagged', () => {
  const co = li.preferences.find((p) => p.name === 'coengaged_14d')!;
  assert.equal(co.selfLeak, 'corrected');
  assert.ok(co.value !== null && co.lis > co.value, `${co.lis} vs ${co.value}`);
  assert.ok(co.lisCi![0] > 0 && co.valueCi![0] > 0, 'both intervals exclude 0');
  assert.ok(co.lisSpread[0] <= co.lis && co.lis <= co.lisSpread[1]);
  for (const name of ['prefs_leak', 'prefs_hist']) {
    const p = li.preferences.find((x) => x.name === name)!;
    assert.equal(p.selfLeak, 'uncorrectable');
    assert.equal(
      p.value,
      null,
      `${name}: a pairs file with one (latest) time per pair has no honest historical version`,
    );
    assert.ok(li.diagnosis.some((d) => d.startsWith(`${name}: cannot be corrected for self-leakage`)));
    assert.ok(li.diagnosis.some((d) => d.startsWith(`${name}: no historical version`)));
  }
  // The self-leak the pairs file cannot remove: the same pairs, own user included, read higher.
  assert.ok(li.preferences.find((p) => p.name === 'prefs_leak')!.lis > co.lis);
});

test("the aligned table's AIS exceeds the raw one's; efficiency has an interval and is undefined where LIS is unresolved", () => {
  const raw = li.tables.find((t) => t.name === 'item_raw')!;
  const aligned = li.tables.find((t) => t.name === 'item_aligned')!;
  assert.ok(aligned.ais > raw.ais, `${aligned.ais} vs ${raw.ais}`);
  const ci = aligned.efficiencyCi.coengaged_14d!;
  assert.ok(ci[0] <= aligned.efficiency.coengaged_14d! && aligned.efficiency.coengaged_14d! <= ci[1], `${ci}`);
  assert.ok(ci[1] - ci[0] > 0.05, 'a real interval, not a point');
});

test('diagnosis sentences follow the numbers and their intervals, never more', () => {
  const pref = (name: string, lis: number, lisCi: [number, number]) => ({
    name,
    source: 'interactions' as const,
    lis,
    lisCi,
    lisSpread: [lis, lis] as [number, number],
    value: 0,
    valueCi: [-0.001, 0.001] as [number, number],
    valueSpread: [0, 0] as [number, number],
    leakPairs: 1,
    histPairs: 1,
    timed: true,
    selfLeak: 'corrected' as const,
    window: null,
    minCount: 1,
  });
  const table = (name: string, ais: number, e: Record<string, [number, [number, number]] | null>) => ({
    name,
    ais,
    aisCi: [ais - 0.001, ais + 0.001] as [number, number],
    aisSpread: [ais, ais] as [number, number],
    efficiency: Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v ? v[0] : null])),
    efficiencyCi: Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v ? v[1] : null])),
    efficiencyNote: {},
  });
  const d = diagnose({
    users: 300,
    preferences: [pref('P0', 0.001, [-0.002, 0.004]), pref('P1', 0.02, [0.01, 0.03])],
    tables: [
      table('T1', 0.002, { P0: null, P1: [0.1, [0.05, 0.2]] }),
      table('T2', 0.018, { P0: null, P1: [0.9, [0.75, 1.05]] }),
      table('T3', 0.01, { P0: null, P1: [0.5, [0.2, 0.8]] }),
      table('T4', 0.03, { P0: null, P1: [1.5, [1.2, 1.8]] }),
    ],
  });
  // Absence of evidence is not evidence of absence: P0 is "no evidence at this sample size", with the users it would take.
  const p0 = d.find((s) => s.startsWith('P0:'))!;
  assert.match(p0, /no evidence at this sample size that this data can lift the ranker/);
  assert.match(p0, /300 users; about 2700 users would resolve a LIS of 0\.0010/);
  assert.ok(!d.some((s) => /cannot lift/.test(s)));
  assert.ok(d.some((s) => s.startsWith('P1:') && /can add at most about 0\.0200/.test(s)));
  assert.ok(d.some((s) => s.startsWith('T1 against P1') && /alignment is the bottleneck/.test(s)));
  assert.ok(d.some((s) => s.startsWith('T2 against P1') && /realises most of what this data can give/.test(s)));
  assert.ok(d.some((s) => s.startsWith('T3 against P1') && /not resolved/.test(s)));
  assert.ok(d.some((s) => s.startsWith('T4 against P1') && /AIS above LIS, the supposed upper bound/.test(s)));
  assert.ok(!d.some((s) => /against P0/.test(s)), 'no efficiency verdict against data whose LIS is unresolved');
});

test('the probe (IRLS logistic regression) recovers known coefficients', () => {
  const rng = seededRandom(4);
  const n = 20000,
    p = 2;
  const X = new Float64Array(n * p),
    y = new Uint8Array(n),
    fit = new Uint8Array(n).fill(1);
  for (let r = 0; r < n; r++) {
    const a = rng() * 4 - 2,
      b = rng() * 4 - 2;
    X[r * 2] = a;
    X[r * 2 + 1] = b;
    y[r] = rng() < 1 / (1 + Math.exp(-(0.5 + 1.5 * a - 1.0 * b))) ? 1 : 0;
  }
  const m = fitProbe(X, p, y, fit);
  const s = probeScores(m, Float64Array.from([0, 0, 1, 0]), 2);
  assert.ok(Math.abs(s[0] - 0.5) < 0.08, `intercept ${s[0]}`);
  assert.ok(Math.abs(s[1] - s[0] - 1.5) < 0.08, `slope ${s[1] - s[0]}`);
});

test('frozen substitution (3c) re-scores the ranker with T_P for each table-fed input', async () => {
  const r = (
    await lis(config(), {
      seed: 11,
      bootstrap: 0,
      providers: ['cpu'],
      preferences: ['prefs_leak'],
      tables: [],
      substitution: true,
    })
  ).result;
  assert.equal(r.substitution?.length, 1);
  const s = r.substitution![0];
  assert.equal(s.input, 'item_emb');
  assert.equal(s.table, 'item_raw');
  assert.ok(Math.abs(s.auc - ab.baseline.auc) < 1e-12);
  assert.ok(Number.isFinite(s.aucSubstituted) && s.aucSubstituted !== s.auc);
});
