/** ROC / precision-recall curves against scikit-learn (test/fixtures/curves_reference.py, seed 14). */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { auc } from '../src/engine/metrics/auc';
import { computeCurves } from '../src/engine/metrics/curves';
import { FIXTURES } from './helpers';

const ref = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'curves_reference.json'), 'utf8'));
const labels = Uint8Array.from(ref.labels);
const scores = Float32Array.from(ref.scores);
const close = (a: number[], b: number[], what: string) => {
  assert.equal(a.length, b.length, `${what}: ${a.length} vs ${b.length} points`);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-6, `${what}[${i}]: ${x} vs ${b[i]}`));
};

test('ROC curve: one point per distinct threshold, ties moving both rates, as sklearn roc_curve(drop_intermediate=False)', () => {
  const c = computeCurves(labels, scores, { maxPoints: 10_000 });
  close(c.roc.fpr, ref.fpr, 'fpr');
  close(c.roc.tpr, ref.tpr, 'tpr');
  // The area under the drawn curve (trapezoids) is the AUC with ties as 1/2.
  let area = 0;
  for (let i = 1; i < c.roc.fpr.length; i++)
    area += ((c.roc.fpr[i] - c.roc.fpr[i - 1]) * (c.roc.tpr[i] + c.roc.tpr[i - 1])) / 2;
  assert.ok(Math.abs(area - ref.auc) < 1e-6 && Math.abs(auc(labels, scores) - ref.auc) < 1e-12);
});

test('precision-recall curve and average precision as sklearn precision_recall_curve / average_precision_score', () => {
  const c = computeCurves(labels, scores, { maxPoints: 10_000 });
  close(c.pr.recall, ref.recall.slice(0, -1).reverse(), 'recall');
  close(c.pr.precision, ref.precision.slice(0, -1).reverse(), 'precision');
  assert.ok(
    Math.abs(c.pr.averagePrecision - ref.averagePrecision) < 1e-12,
    `${c.pr.averagePrecision} vs ${ref.averagePrecision}`,
  );
});

test('thinned curves keep both ends; the histogram counts every row once, by label', () => {
  const c = computeCurves(labels, scores, { maxPoints: 21, bins: 10, range: [0, 1] });
  assert.equal(c.roc.fpr.length, 21);
  assert.deepEqual([c.roc.fpr[0], c.roc.tpr[0], c.roc.fpr[20], c.roc.tpr[20]], [0, 0, 1, 1]);
  const pos = c.histogram.positives.reduce((a, b) => a + b, 0),
    neg = c.histogram.negatives.reduce((a, b) => a + b, 0);
  assert.equal(pos, labels.filter((l) => l === 1).length);
  assert.equal(neg, labels.length - pos);
  // Rows with score exactly 1 land in the last bin, not past it.
  assert.equal(c.histogram.positives.length, 10);
});
