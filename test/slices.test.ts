/**
 * Slices: metrics per slice against scikit-learn / numpy (test/fixtures/make_weak_slice.py wrote reference.json
 * from the same rows), the planted weak slice flagged, conditions that cannot inject SQL, diagnostics, and
 * `ablate --slice`.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { checkConfigText } from '../src/engine/check/checkConfig';
import { parseConfig } from '../src/engine/config/loadConfig';
import { conditionSql } from '../src/engine/slices/condition';
import { cli, FIXTURES, tempDir } from './helpers';

const FIXTURE = path.join(FIXTURES, 'weak_slice');
const REFERENCE = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'reference.json'), 'utf8'));

/** A copy of the fixture workspace (runs and edits go to a temp folder), with `slices` optionally replaced. */
function workspace(slices?: Record<string, unknown>): string {
  const dir = tempDir();
  for (const f of ['model.onnx', 'eval.csv', 'interactions.csv', 'reclens.json'])
    fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  const file = path.join(dir, 'reclens.json');
  if (slices) {
    const config = parseConfig(fs.readFileSync(file, 'utf8'), file).config!.raw;
    fs.writeFileSync(file, JSON.stringify({ ...config, slices }, null, 2));
  }
  return file;
}

let evalJson: any;
async function evaluated(): Promise<any> {
  if (!evalJson) {
    const r = await cli('eval', '--config', workspace(), '--json', '--bootstrap', '200', '--seed', '3', '--no-record');
    assert.equal(r.code, 0, r.err);
    evalJson = JSON.parse(r.out);
  }
  return evalJson;
}

const close = (actual: number | null, expected: number, what: string, tol = 1e-6) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: ${actual} vs reference ${expected}`);

test('per-slice AUC, GAUC, LogLoss and calibration equal scikit-learn / numpy on the same rows', async () => {
  const j = await evaluated();
  close(j.slices.whole.auc, REFERENCE.whole.auc, 'whole AUC');
  for (const [name, ref] of Object.entries<any>(REFERENCE.slices)) {
    const s = j.slices.slices.find((x: any) => x.name === name);
    assert.ok(s, `slice ${name} reported`);
    assert.equal(s.rows, ref.rows, `${name} rows`);
    assert.equal(s.positives, ref.positives, `${name} positives`);
    close(s.auc, ref.auc, `${name} AUC`);
    close(s.gauc, ref.gauc, `${name} GAUC`);
    close(s.logloss, ref.logloss, `${name} LogLoss`);
    close(s.calibration.meanPrediction, ref.meanPrediction, `${name} mean prediction`);
    close(s.calibration.observedRate, ref.observedRate, `${name} observed rate`);
    close(s.calibration.ece, ref.ece, `${name} ECE`);
    close(s.delta.auc, ref.auc - REFERENCE.whole.auc, `${name} AUC - whole`);
  }
});

test('the planted weak slice is flagged; flags agree with an independent paired bootstrap where it is clear', async () => {
  const j = await evaluated();
  const byName = new Map<string, any>(j.slices.slices.map((s: any) => [s.name, s]));
  assert.equal(byName.get(REFERENCE.weakSlice).flagged, true);
  assert.ok(byName.get(REFERENCE.weakSlice).ci.deltaAuc[1] < 0);
  assert.equal(byName.get('core').flagged, false, 'the slice where the ranker is good is not flagged');
  for (const [name, ref] of Object.entries<any>(REFERENCE.slices)) {
    const [lo, hi] = ref.pairedAucInterval;
    if (hi < -0.01) assert.equal(byName.get(name).flagged, true, `${name}: reference interval [${lo}, ${hi}]`);
    if (lo > -0.01 && hi > 0.01)
      assert.equal(byName.get(name).flagged, false, `${name}: reference interval [${lo}, ${hi}]`);
  }
  // Flags follow the stated rule exactly.
  for (const s of j.slices.slices)
    assert.equal(s.flagged, s.ci !== undefined && s.ci.deltaAuc !== null && s.ci.deltaAuc[1] < 0, s.name);
  assert.match(j.slices.notes.join(' '), /seen.*interactions\.csv before the evaluation period/);
});

test('eval prints the slices worst first, and --no-slices leaves them out', async () => {
  const file = workspace();
  const r = await cli('eval', '--config', file, '--bootstrap', '50', '--no-record');
  assert.equal(r.code, 0, r.err);
  const rows = r.out.split('\n').filter((l) => /^\s+!?\s+(legacy_app|core|x0_high|legacy_or_high|auto:)/.test(l));
  assert.match(rows[0], /!\s+legacy_app/);
  const off = await cli('eval', '--config', file, '--json', '--no-slices', '--no-record');
  assert.equal(JSON.parse(off.out).slices, undefined);
});

test('slice values and column names cannot change the SQL: they are quoted literals and identifiers', async () => {
  const evil = "core' OR '1'='1";
  assert.equal(conditionSql({ column: 'segment', equals: evil }), `("segment" = 'core'' OR ''1''=''1')`);
  assert.equal(conditionSql({ column: 'a"b', in: [1, null] }), `("a""b" IN ((1)) OR "a""b" IS NULL)`);
  const file = workspace({
    evil: { where: { column: 'segment', equals: evil } },
    none: { where: { column: 'segment', isNull: true } },
  });
  const r = await cli('eval', '--config', file, '--json', '--no-record');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(
    j.slices.slices.find((s: any) => s.name === 'evil').rows,
    0,
    'the quote is part of the value, so no row matches',
  );
  assert.equal(j.slices.slices.find((s: any) => s.name === 'none').rows, 0);
});

test('slice diagnostics: unknown columns (with did-you-mean), ranges on text columns, reserved names', async () => {
  const file = workspace({
    a: { where: { column: 'segmnt', equals: 'core' } },
    b: { where: { all: [{ column: 'segment', gte: 1 }] } },
  });
  const problems = await checkConfigText(fs.readFileSync(file, 'utf8'), file);
  const unknown = problems.find((p) => p.code === 'slice-unknown-column');
  assert.ok(unknown, JSON.stringify(problems));
  assert.match(unknown!.message, /"segmnt".*Did you mean "segment"/i);
  assert.deepEqual(unknown!.path, ['slices', 'a', 'where', 'column']);
  assert.ok(unknown!.start.line > 1);
  const range = problems.find((p) => p.code === 'slice-range-type');
  assert.deepEqual(range!.path, ['slices', 'b', 'where', 'all', 0, 'column']);
  const reserved = parseConfig(
    JSON.stringify({
      model: 'model.onnx',
      data: { path: 'eval.csv', label: 'label' },
      slices: { 'auto:x': { where: { column: 'x0', gt: 0 } } },
    }),
    file,
  );
  assert.ok(
    reserved.problems.some((p) => p.severity === 'error' && /slices/.test(p.message)),
    JSON.stringify(reserved.problems),
  );
  const badShape = parseConfig(
    JSON.stringify({
      model: 'model.onnx',
      data: { path: 'eval.csv', label: 'label' },
      slices: { s: { where: { column: 'x0', like: '%a' } } },
    }),
    file,
  );
  assert.ok(
    badShape.problems.some((p) => p.severity === 'error'),
    'an unknown operator is a schema error',
  );
  const r = await cli('eval', '--config', file, '--no-record');
  assert.equal(r.code, 2);
  assert.match(r.err, /segmnt/);
});

test("ablate --slice restricts the ablation to the slice's rows; an unknown slice is exit 2", async () => {
  const file = workspace();
  const r = await cli(
    'ablate',
    '--config',
    file,
    '--slice',
    'legacy_app',
    '--method',
    'mask',
    '--bootstrap',
    '20',
    '--json',
    '--no-record',
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.rows, REFERENCE.slices.legacy_app.rows);
  assert.equal(j.slice, 'legacy_app');
  close(j.baseline.auc, REFERENCE.slices.legacy_app.auc, 'baseline AUC within the slice');
  const auto = await cli(
    'ablate',
    '--config',
    file,
    '--slice',
    'auto:user=new',
    '--method',
    'mask',
    '--bootstrap',
    '0',
    '--json',
    '--no-record',
  );
  assert.equal(auto.code, 0, auto.err);
  assert.equal(JSON.parse(auto.out).rows, REFERENCE.slices['auto:user=new'].rows);
  const bad = await cli('ablate', '--config', file, '--slice', 'nope', '--no-record');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /No slice named "nope".*legacy_app/);
});
