/**
 * Every way the data could feed one model input, scored by name: a scalar column, a list column of the right
 * width, a group of numbered columns with a common stem (cat_0 .. cat_11) of the right count, or a table lookup by
 * a key column the table's ids cover. Candidates that cannot be right are left out: wrong dtype, wrong width, or
 * id values outside the embedding table the input indexes (min / max against its row count).
 */
import type { ModelInspection } from '../model/inspect';
import type { OnnxValueInfo } from '../model/onnxFile';
import { nameScore } from '../util/suggest';
import type { ColumnProfile } from './profile';
import { describeSource, InputSource, ScoredSource, TableProposal } from './types';

/** Values per row an input takes, or undefined when a non-batch dim is symbolic (any width may fit). */
export function inputWidth(i: OnnxValueInfo): number | undefined {
  if (i.shape === null) return undefined;
  const rest = i.shape.slice(1);
  if (rest.some((d) => typeof d !== 'number' || d <= 0)) return undefined;
  return rest.reduce((a: number, b) => a * (b as number), 1);
}

const isIntDtype = (d: string) => /^u?int/.test(d) || d === 'bool';
const isFloatDtype = (d: string) => d.startsWith('float') || d === 'double';

function fitsDtype(dtype: string, cls: string | undefined): boolean {
  if (isFloatDtype(dtype)) return cls === 'float' || cls === 'integer' || cls === 'boolean';
  if (isIntDtype(dtype)) return cls === 'integer' || cls === 'boolean';
  return false;
}

/** Numbered columns by stem: "cat_0".."cat_11" -> stem "cat", in numeric order. */
export function numberedGroups(cols: ColumnProfile[]): { stem: string; columns: ColumnProfile[] }[] {
  const groups = new Map<string, { n: number; c: ColumnProfile }[]>();
  for (const c of cols) {
    const m = /^(.*?)(\d+)$/.exec(c.name);
    if (!m || c.cls === 'list') continue;
    const list = groups.get(m[1]) ?? [];
    list.push({ n: Number(m[2]), c });
    groups.set(m[1], list);
  }
  return [...groups.entries()]
    .filter(([, l]) => l.length >= 2)
    .map(([stem, l]) => ({ stem, columns: l.sort((a, b) => a.n - b.n).map((x) => x.c) }));
}

/** Name evidence in [0, 1]; a group's stem may be a single letter that starts the input's name (s0..s3 ~ strong). */
function groupNameScore(input: string, stem: string): number {
  const s = stem.replace(/[_\-.]+$/, '');
  let score = nameScore(input, s);
  if (s.length >= 1 && input.toLowerCase().startsWith(s.toLowerCase()))
    score = Math.max(score, 0.55 + 0.25 * (s.length / input.length));
  return score;
}

/** Base score for fitting by type alone; name evidence adds up to 0.9. */
const FIT = 0.1;
const scored = (source: InputSource, name: number, bonus = 0): ScoredSource => ({
  source,
  score: FIT + 0.9 * name + bonus,
  describe: describeSource(source),
});

export function inputCandidates(
  input: OnnxValueInfo,
  model: ModelInspection,
  cols: ColumnProfile[],
  tables: TableProposal[],
  itemColumn?: string,
): ScoredSource[] {
  const width = inputWidth(input);
  const out: ScoredSource[] = [];
  const embeddingRows = model.embeddingTables.filter((e) => e.indexedBy.includes(input.name)).map((e) => e.rows);
  const rows = embeddingRows.length ? Math.min(...embeddingRows) : undefined;
  // Ids feeding an embedding table of R rows must lie in [0, R).
  const valuesFit = (c: ColumnProfile) =>
    rows === undefined || (c.min !== undefined && c.max !== undefined && c.min >= 0 && c.max < rows);

  if (width === undefined || width === 1) {
    for (const c of cols) {
      if (c.cls === 'list' || !fitsDtype(input.dtype, c.cls) || !valuesFit(c)) continue;
      out.push(scored({ kind: 'column', column: c.name }, nameScore(input.name, c.name)));
    }
  }
  if (width === undefined || width > 1) {
    for (const c of cols) {
      if (c.cls !== 'list' || !fitsDtype(input.dtype, c.elemCls) || c.width === undefined) continue;
      if (width !== undefined && c.width !== width) continue;
      out.push(scored({ kind: 'column', column: c.name }, nameScore(input.name, c.name)));
    }
    for (const g of numberedGroups(cols)) {
      if (width !== undefined && g.columns.length !== width) continue;
      if (!g.columns.every((c) => fitsDtype(input.dtype, c.cls) && valuesFit(c))) continue;
      out.push(scored({ kind: 'columns', columns: g.columns.map((c) => c.name) }, groupNameScore(input.name, g.stem)));
    }
  }
  if (isFloatDtype(input.dtype)) {
    for (const t of tables) {
      if (width !== undefined && t.dim !== width) continue;
      for (const k of t.keys) {
        const name = Math.max(nameScore(input.name, t.name), 0.8 * nameScore(input.name, k.column));
        // Tables of item vectors are usually looked up by the item column.
        out.push(
          scored(
            { kind: 'table', table: t.name, key: k.column },
            name,
            (k.column === itemColumn ? 0.02 : 0) + 0.01 * k.coverage,
          ),
        );
      }
    }
  }
  return out.sort((a, b) => b.score - a.score);
}
