/**
 * The Features view's text (issue 14: "ceiling 0...." cut by VS Code): short descriptions, every figure in the
 * tooltip, on the real MovieLens ablation and ceiling records (seed 7, test/fixtures/movielens-runs). The sidebar's
 * pixels are checked in code-server by test/e2e/codeServer.mjs (Features view: no row cut).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { SLOT_DESCRIPTION_MAX, slotSummary, type SlotAblation, type SlotCeiling } from '../src/extension/slotSummary';

const RUNS = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'movielens-runs');
const record = (kind: string) =>
  JSON.parse(
    fs.readFileSync(
      path.join(
        RUNS,
        fs.readdirSync(RUNS).find((f) => f.includes(`-${kind}-`))!,
      ),
      'utf8',
    ),
  );

test('Features view: short descriptions and full figures with intervals in the tooltip, on the MovieLens records', () => {
  const ablation = record('ablate').results.results as SlotAblation[];
  const ceiling = record('ceiling').results.results as SlotCeiling[];
  const slots = [...new Set(ablation.map((r) => r.slot))];
  assert.equal(slots.length, 6);
  for (const name of slots) {
    const { description, tooltip } = slotSummary({ name, inputs: [name] }, ablation, ceiling);
    const mask = ablation.find((r) => r.slot === name && r.method === 'mask')!;
    const c = ceiling.find((r) => r.slot === name)!;
    assert.ok(description.length <= 24, `${name}: "${description}" is ${description.length} characters`);
    assert.equal(description, `ΔAUC ${mask.deltaAuc.toFixed(3)} · ceil ${c.ceiling.toFixed(2)}`);
    assert.match(
      tooltip,
      new RegExp(
        `mask ΔAUC ${mask.deltaAuc.toFixed(4)} 95% \\[${mask.ci!.deltaAuc[0].toFixed(4)}, ${mask.ci!.deltaAuc[1].toFixed(4)}\\]`,
      ),
    );
    assert.match(tooltip, new RegExp(`permute ΔAUC -?\\d\\.\\d{4} 95% \\[`));
    assert.ok(tooltip.includes(`ceiling ${c.ceiling.toFixed(4)}`), tooltip);
  }
});

test('Features view: the longest description (permutation only, negative impact) stays within the limit', () => {
  const { description } = slotSummary(
    { name: 's', inputs: ['s'] },
    [{ slot: 's', method: 'permute', deltaAuc: -0.0123 }],
    [{ slot: 's', ceiling: 0.3456, efficiency: null }],
  );
  assert.equal(description, 'ΔAUC -0.012 perm. · ceil 0.35');
  assert.ok(description.length <= SLOT_DESCRIPTION_MAX);
  assert.equal(slotSummary({ name: 's', inputs: ['s'] }, undefined, undefined).description, 'not ablated');
});
