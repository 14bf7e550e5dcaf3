/**
 * A list column's widths are measured (a scan of the whole column) once per unchanged data file, not on every job
 * (data/listWidths.ts): the plan is the same, a file that may have changed is measured again.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { requireConfig } from '../src/engine/config/loadConfig';
import { forgetListWidths, listWidths, rememberedListWidths } from '../src/engine/data/listWidths';
import { openWorkspace } from '../src/engine/workspace';
import { tempDir } from './helpers';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'movielens', 'reclens.json');

test('a file unchanged for a while is measured once per column; its answer is reused', async () => {
  forgetListWidths();
  const file = path.join(__dirname, '..', '..', 'package.json'); // checked out long ago: its stamp is trusted
  let calls = 0;
  const measure = (lo: number, hi: number) => async () => (calls++, { lo, hi });
  assert.deepEqual(await listWidths(file, 'a', measure(3, 3)), { lo: 3, hi: 3 });
  assert.deepEqual(await listWidths(file, 'a', measure(9, 9)), { lo: 3, hi: 3 });
  assert.equal(calls, 1);
  assert.deepEqual(await listWidths(file, 'b', measure(1, 2)), { lo: 1, hi: 2 }, 'another column is measured');
  assert.equal(calls, 2);
  forgetListWidths();
  assert.deepEqual(await listWidths(file, 'a', measure(4, 4)), { lo: 4, hi: 4 });
  assert.equal(calls, 3);
});

test('a file written within the last seconds, or rewritten, is measured on every call', async () => {
  forgetListWidths();
  const file = path.join(tempDir(), 'data.csv');
  fs.writeFileSync(file, 'x\n1\n');
  let calls = 0;
  const measure = async () => (calls++, { lo: calls, hi: calls });
  assert.deepEqual(await listWidths(file, 'a', measure), { lo: 1, hi: 1 });
  fs.writeFileSync(file, 'x\n1\n2\n');
  assert.deepEqual(await listWidths(file, 'a', measure), { lo: 2, hi: 2 });
  assert.equal(rememberedListWidths(file, 'a'), undefined);
  // A path DuckDB may still read but that is no plain file here: measured, never remembered.
  assert.deepEqual(await listWidths(path.join(file, 'missing'), 'a', measure), { lo: 3, hi: 3 });
});

test('opening a workspace twice plans its list inputs the same, the second time from the remembered widths', async () => {
  forgetListWidths();
  const { config } = requireConfig(EXAMPLE);
  const first = await openWorkspace(config);
  const widths = ['genres', 'hist_emb'].map((c) => rememberedListWidths(config.data.path, c));
  first.close();
  assert.ok(
    widths.every((w) => w && w.lo === w.hi && w.hi > 1),
    `list widths remembered: ${JSON.stringify(widths)}`,
  );
  const second = await openWorkspace(config);
  second.close();
  assert.deepEqual(
    second.plan.inputs.map((i) => [i.name, i.width, i.dims]),
    first.plan.inputs.map((i) => [i.name, i.width, i.dims]),
  );
  assert.deepEqual(second.plan.select, first.plan.select);
});
