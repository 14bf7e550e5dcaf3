/* eslint-disable @typescript-eslint/no-explicit-any -- walks the raw config JSON (already checked against the schema) field by field */
/**
 * Every data file a config names (evaluation data, tables, ids, items, interactions, preference pairs), resolved
 * against the config's folder: the only files its DuckDB may open (see openDuck).
 */
import * as path from 'path';
import type { RecLensConfig } from './types';

export function declaredFiles(config: RecLensConfig): string[] {
  const out = [config.data.path];
  for (const t of Object.values(config.tables)) {
    out.push(t.path);
    if (t.ids) out.push(t.ids);
  }
  const add = (p: unknown) => {
    if (typeof p === 'string' && p) out.push(path.resolve(config.dir, p));
  };
  const raw = config.raw as Record<string, any>;
  add(raw.items?.path);
  add(raw.interactions?.path);
  for (const spec of Object.values<any>(raw.preferences ?? {})) {
    if (spec && typeof spec === 'object') {
      add(spec.pairs);
      add(spec.interactions);
    }
  }
  return [...new Set(out)];
}
