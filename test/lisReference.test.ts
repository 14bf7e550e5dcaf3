/**
 * LIS against an independent reference: test/reference/lis_reference.py (scikit-learn + numpy, written from
 * docs/metrics.md 3b) recomputed the leave-one-user-out features, the user folds, the cross-fitted probe AUCs and
 * LIS / Value / AIS on examples/planted for fixed seeds; its output is test/fixtures/lis_reference.json.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import { userFolds } from '../src/engine/lis/crossFit';
import { readEvalKeys } from '../src/engine/lis/evalKeys';
import { preferenceFeatures, tableFeatures } from '../src/engine/lis/features';
import { interactionsSpec, loadHistories } from '../src/engine/lis/interactions';
import { lis } from '../src/engine/lis/lis';
import { loadPreference } from '../src/engine/lis/preferences';
import { openWorkspace } from '../src/engine/workspace';
import { FIXTURES, ROOT } from './helpers';

interface Gains {
  mean: number;
  min: number;
  max: number;
}
interface Reference {
  folds: number;
  splits: number;
  users: number;
  rows: number;
  evalStart: number;
  features: Record<string, { sum: [number, number]; rows: number[]; values: [number, number][] }>;
  seeds: Record<
    string,
    Record<'logistic' | 'richer', { folds: number[][]; baselineAucs: number[]; gains: Record<string, Gains> }>
  >;
}

const REF: Reference = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'lis_reference.json'), 'utf8'));
const PLANTED = path.join(ROOT, 'examples', 'planted', 'reclens.json');
const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: RecLens ${a} vs reference ${b} (|diff| ${Math.abs(a - b)})`);

test('the user folds of every split match the reference PRNG (mulberry32, re-implemented in Python)', () => {
  for (const [seed, kinds] of Object.entries(REF.seeds)) {
    kinds.logistic.folds.forEach((expected, s) =>
      assert.deepEqual(
        Array.from(userFolds(REF.users, REF.folds, Number(seed), s).subarray(0, expected.length)),
        expected,
        `seed ${seed} split ${s}`,
      ),
    );
  }
});

test('leave-one-user-out preference features and table features match the reference', async () => {
  const { config } = requireConfig(PLANTED);
  const ws = await openWorkspace(config);
  try {
    const keys = await readEvalKeys(ws.duck, config, REF.rows, 'LIS');
    const histories = await loadHistories(
      ws.duck,
      interactionsSpec(config, config.raw.interactions as Record<string, unknown>, ['interactions']),
      config,
    );
    const features: Record<string, Float64Array> = {};
    for (const name of ['coengaged_14d', 'prefs_hist', 'prefs_leak']) {
      const p = await loadPreference(ws.duck, config, name, REF.evalStart, { raw: true });
      const f = preferenceFeatures(keys, histories, p);
      features[`${name}:leak`] = f.leak;
      if (f.hist) features[`${name}:hist`] = f.hist;
    }
    for (const name of ['item_raw', 'item_aligned'])
      features[name] = tableFeatures(
        keys,
        histories,
        ws.tables[name] ?? (await (await import('../src/engine/data/tables')).loadTable(ws.duck, config.tables[name])),
      );
    assert.deepEqual(Object.keys(features).sort(), Object.keys(REF.features).sort());
    for (const [name, ref] of Object.entries(REF.features)) {
      const f = features[name];
      for (const c of [0, 1]) {
        let sum = 0;
        for (let r = 0; r < REF.rows; r++) sum += f[2 * r + c];
        close(sum, ref.sum[c], 1e-6 * Math.max(1, Math.abs(ref.sum[c])), `${name} column ${c} sum`);
      }
      ref.rows.forEach((r, k) => {
        close(f[2 * r], ref.values[k][0], 1e-6, `${name} row ${r} [0]`);
        close(f[2 * r + 1], ref.values[k][1], 1e-6, `${name} row ${r} [1]`);
      });
    }
  } finally {
    ws.close();
  }
});

for (const seed of Object.keys(REF.seeds)) {
  test(`cross-fitted probe AUCs and LIS / Value / AIS match scikit-learn to 1e-6 (seed ${seed}, ${REF.folds} folds x ${REF.splits} splits)`, async () => {
    const { config } = requireConfig(PLANTED);
    const r = (
      await lis(config, { seed: Number(seed), folds: REF.folds, splits: REF.splits, bootstrap: 0, providers: ['cpu'] })
    ).result;
    const ref = REF.seeds[seed];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    close(r.baselineProbeAuc, mean(ref.logistic.baselineAucs), 1e-6, 'baseline probe AUC');
    close(r.richerBaselineProbeAuc!, mean(ref.richer.baselineAucs), 1e-6, 'richer baseline probe AUC');
    const check = (what: string, got: { mean: number; spread: [number, number] }, want: Gains) => {
      close(got.mean, want.mean, 1e-6, `${what} mean`);
      close(got.spread[0], want.min, 1e-6, `${what} min over splits`);
      close(got.spread[1], want.max, 1e-6, `${what} max over splits`);
    };
    for (const p of r.preferences) {
      check(`LIS(${p.name})`, { mean: p.lis, spread: p.lisSpread }, ref.logistic.gains[`${p.name}:leak`]);
      check(
        `richer LIS(${p.name})`,
        { mean: p.richer!.lis.gain, spread: p.richer!.lis.spread },
        ref.richer.gains[`${p.name}:leak`],
      );
      if (p.value !== null)
        check(`Value(${p.name})`, { mean: p.value, spread: p.valueSpread! }, ref.logistic.gains[`${p.name}:hist`]);
      else assert.equal(ref.logistic.gains[`${p.name}:hist`], undefined);
    }
    for (const t of r.tables) {
      check(`AIS(${t.name})`, { mean: t.ais, spread: t.aisSpread }, ref.logistic.gains[t.name]);
      check(
        `richer AIS(${t.name})`,
        { mean: t.richer!.ais.gain, spread: t.richer!.ais.spread },
        ref.richer.gains[t.name],
      );
    }
  });
}
