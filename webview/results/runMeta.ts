/** The line under a result's title that says which run it is: id, time, seed, provider. */
import type { RunRef } from '../../src/protocol/results';
import { element } from '../shared/dom';
import { formatDate } from './format';

export function runMetaLine(run: RunRef, extra: readonly string[] = []): HTMLParagraphElement {
  const line = element('p', 'run-meta');
  const parts = [
    `Run ${run.runId}`,
    formatDate(run.createdAt),
    `seed ${run.seed}`,
    `provider ${run.executionProvider}`,
    ...extra,
  ];
  line.textContent = parts.join(' · ');
  return line;
}
