/** Run records: what ran, on what, with which seed and provider, and the results. One JSON file per run. */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from './atomicWrite';
import { parseRunRecord } from './recordShape';

export const RUN_RECORD_VERSION = 1;

export interface RunRecord<R = unknown> {
  version: number;
  id: string;
  kind: string;
  createdAt: string;
  reclens: string;
  config: { file: string; sha256: string; name?: string };
  model: { file: string; sha256: string };
  data: { file: string; size: number; mtime: string; sample: string; rows: number };
  seed: number;
  options: Record<string, unknown>;
  executionProvider: string;
  providerFallbacks: { provider: string; reason: string }[];
  timings: Record<string, number>;
  results: R;
  /** `reclens` arguments that reproduce this run's numbers (see reproduce.ts); absent in records from before 0.1. */
  invocation?: string[];
  /** What the data said that the numbers do not show (NULL groups, a label written as words); absent when none. */
  warnings?: string[];
}

export function defaultRunsDir(configDir: string): string {
  return path.join(configDir, '.reclens', 'runs');
}

export function newRunId(kind: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${kind}-${Math.random().toString(36).slice(2, 8)}`;
}

export function writeRunRecord(dir: string, record: RunRecord): string {
  const file = path.join(dir, `${record.id}.json`);
  writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

export function listRunRecords(dir: string): RunRecord[] {
  if (!fs.existsSync(dir)) return [];
  const out: RunRecord[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json') || f.startsWith('.')) continue;
    try {
      out.push(parseRunRecord(fs.readFileSync(path.join(dir, f), 'utf8'), f));
    } catch {
      /* a foreign, damaged or partial file is not a run */
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/** RecLens's version from its package.json, found upwards from this file (out/src/engine/runs/ or the bundle's dist/). */
export function readPackageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'reclens') return pkg.version;
    } catch {
      /* no package.json here: look further up */
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
