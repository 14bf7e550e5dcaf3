/**
 * Values derived from a file (model structure, data columns), kept until the file changes (size + mtime). The editor
 * re-checks a config on every edit and shows hovers on demand; re-reading a large model or re-scanning a data file
 * each time would make typing slow.
 */
import * as fs from 'fs';

const cache = new Map<string, { version: string; value: unknown }>();

export async function cachedByFile<T>(kind: string, file: string, read: () => Promise<T> | T): Promise<T> {
  const st = fs.statSync(file);
  const version = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(`${kind}:${file}`);
  if (hit?.version === version) return hit.value as T;
  const value = await read();
  cache.set(`${kind}:${file}`, { version, value });
  return value;
}
