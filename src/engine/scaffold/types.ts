/** What the scaffolder proposes: every guess with its confidence, reason and alternatives. */
import type { OutputKind } from '../config/types';
import type { Dim } from '../model/onnxFile';
import type { ColumnProfile } from './profile';

export type Confidence = 'high' | 'medium' | 'low' | 'todo';

export type InputSource =
  | { kind: 'column'; column: string }
  | { kind: 'columns'; columns: string[] }
  | { kind: 'table'; table: string; key: string };

export interface ScoredSource {
  source: InputSource;
  score: number;
  /** Short description, e.g. "column user_idx" or "table content_tfidf by movie_id". */
  describe: string;
}

export interface InputProposal {
  input: string;
  dtype: string;
  shape: Dim[] | null;
  /** Undefined when undecided: written as a TODO naming the candidates. */
  source?: InputSource;
  confidence: Confidence;
  reason: string;
  alternatives: ScoredSource[];
}

export interface RoleProposal {
  column?: string;
  confidence: Confidence;
  reason: string;
  alternatives: string[];
}

/** A lookup table file found on disk: where its ids and vectors are, and its shape. */
export interface TableFile {
  name: string;
  /** Absolute paths. */
  path: string;
  /** .npy: the ids file (absent: the row index is the id). */
  ids?: string;
  /** Parquet: id and vector columns. */
  idColumn?: string;
  vectorColumn?: string;
  rows: number;
  dim: number;
}

export interface TableProposal extends TableFile {
  /** Data columns whose values the table's ids cover, with the share covered. */
  keys: { column: string; coverage: number }[];
}

export interface Proposal {
  /** Folder the config will be written in; the paths below are absolute. */
  dir: string;
  model: string;
  data: string;
  output: string;
  outputKind: { value: OutputKind; confidence: Confidence; reason: string };
  roles: { label: RoleProposal; group: RoleProposal; item: RoleProposal; time: RoleProposal };
  tables: TableProposal[];
  inputs: InputProposal[];
  items?: { path: string; id: string; label?: string };
  /** Whether the model was run on a sample of rows to decide the output kind and break ties. */
  sampleRun?: { rows: number; auc?: number; min: number; max: number };
  notes: string[];
  /** The data's columns (for "list all columns" and completion). */
  columns: ColumnProfile[];
}

export function describeSource(s: InputSource): string {
  if (s.kind === 'column') return `column ${s.column}`;
  if (s.kind === 'columns')
    return s.columns.length > 4
      ? `columns ${s.columns[0]} .. ${s.columns[s.columns.length - 1]} (${s.columns.length})`
      : `columns ${s.columns.join(', ')}`;
  return `table ${s.table} by ${s.key}`;
}

export function sourceColumns(s: InputSource): string[] {
  return s.kind === 'column' ? [s.column] : s.kind === 'columns' ? s.columns : [];
}

export function sameSource(a: InputSource, b: InputSource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
