import type { RunRecord } from './runRecord';

/** One line that says what a run found, per kind of run. */
export function runLabel(record: RunRecord): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- results differ by kind; each case reads its own fields
  const r = record.results as Record<string, any>;
  const f = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : 'n/a');
  switch (record.kind) {
    case 'eval':
      return `eval · AUC ${f(r.auc)}${r.gauc != null ? ` · GAUC ${f(r.gauc)}` : ''}`;
    case 'ablate':
      return `ablate · ${new Set((r.results ?? []).map((x: { slot: string }) => x.slot)).size} slots · AUC ${f(r.baseline?.auc)}`;
    case 'ceiling':
      return `ceiling · ${(r.results ?? []).length} slots · AUC ${f(r.results?.[0]?.aucFull)}`;
    case 'lis':
      return `lis · ${(r.preferences ?? []).map((p: { name: string; lis: number }) => `LIS ${p.name} ${f(p.lis)}`).join(', ') || `${(r.tables ?? []).length} tables`}`;
    case 'embed':
      return `embed · ${r.table} · ${String(r.method).toUpperCase()}`;
    case 'align':
      return `align · ${r.table}${r.against ? ` vs ${r.against}` : ''}`;
    default:
      return record.kind;
  }
}
