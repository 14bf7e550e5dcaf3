/**
 * The SQL tail that keeps the first `rows` rows of a query over `total` rows (data.filter applied): none when `rows`
 * covers them all. DuckDB's LIMIT keeps insertion order by reading every row up to the limit before it hands over the
 * first (the 1M-row real-size bench: 5.8 s to the first chunk with LIMIT 1,000,000, 0.75 s without, docs/
 * performance.md round 7), while a query without one still returns its rows in file order
 * (preserve_insertion_order), so a LIMIT that keeps every row is pure cost.
 */
export function limitClause(rows: number, total: number): string {
  const n = Math.max(0, Math.floor(rows));
  return n >= total ? '' : ` LIMIT ${n}`;
}
