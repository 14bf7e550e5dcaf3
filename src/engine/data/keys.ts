/** Lookup keys compare as numbers when they look like integers, so 42, 42n and "42" meet in one Map. */
export type Key = number | string;

export function normaliseKey(v: unknown): Key {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const s = String(v);
  return /^-?\d{1,15}$/.test(s) ? Number(s) : s;
}
