/** What a run record says about itself (kind, config, data, model, provider, seed, options, timings) as term / value pairs. */
import type { RunRecord } from '../../src/protocol/results';
import { element } from '../shared/dom';
import { baseName, formatBytes, formatCount, formatDate, formatSeconds } from './format';

export interface Fact {
  term: string;
  value: string;
  /** Full text (a path, a hash) behind a shortened value. */
  title?: string;
}

export function runFacts(record: RunRecord): Fact[] {
  const facts: Fact[] = [
    { term: 'Kind', value: record.kind },
    { term: 'Created', value: `${formatDate(record.createdAt)} · RecLens ${record.reclens}`, title: record.createdAt },
    {
      term: 'Config',
      value: `${record.config.name ? `${record.config.name} · ` : ''}${baseName(record.config.file)} · sha256 ${record.config.sha256.slice(0, 12)}`,
      title: `${record.config.file}\nsha256 ${record.config.sha256}`,
    },
    {
      term: 'Model',
      value: `${baseName(record.model.file)} · sha256 ${record.model.sha256.slice(0, 12)}`,
      title: `${record.model.file}\nsha256 ${record.model.sha256}`,
    },
    {
      term: 'Data',
      value: `${baseName(record.data.file)} · ${formatCount(record.data.rows)} rows · ${formatBytes(record.data.size)} · sample ${record.data.sample}`,
      title: `${record.data.file}\nmodified ${record.data.mtime}`,
    },
    { term: 'Seed', value: String(record.seed) },
    { term: 'Execution provider', value: record.executionProvider },
  ];
  for (const fallback of record.providerFallbacks)
    facts.push({ term: 'Fallback', value: `${fallback.provider} failed: ${fallback.reason}` });
  for (const warning of record.warnings ?? []) facts.push({ term: 'Warning', value: warning });
  const options = Object.entries(record.options).map(
    ([key, value]) =>
      `${key} ${value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
  );
  if (options.length) facts.push({ term: 'Options', value: options.join(' · ') });
  const timings = Object.entries(record.timings).map(
    ([key, seconds]) => `${key.replace(/Seconds$/, '')} ${formatSeconds(seconds)}`,
  );
  if (timings.length) facts.push({ term: 'Timings', value: timings.join(' · ') });
  return facts;
}

export function renderFacts(facts: readonly Fact[], label: string): HTMLDListElement {
  const list = element('dl', 'facts');
  list.setAttribute('aria-label', label);
  for (const fact of facts) {
    const term = element('dt', undefined, fact.term);
    const value = element('dd', undefined, fact.value);
    if (fact.title) value.title = fact.title;
    list.append(term, value);
  }
  return list;
}
