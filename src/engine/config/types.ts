/** The resolved form of reclens.json: paths made absolute, defaults filled in. */
import type { SliceSpec } from '../slices/condition';
export type OutputKind = 'probability' | 'logit';
export type ProviderName = 'cuda' | 'webgpu' | 'dml' | 'coreml' | 'cpu';

export const DEFAULT_PROVIDERS: ProviderName[] = ['cuda', 'webgpu', 'cpu'];
export const DEFAULT_BATCH_SIZE = 8192;

export interface ModelSpec {
  path: string;
  output?: string;
  outputKind: OutputKind;
}

export interface DataSpec {
  path: string;
  label: string;
  group?: string;
  item?: string;
  time?: string;
  filter?: string;
}

export type TableFallback = 'zeros' | 'mean' | { id: string | number };

export interface TableSpec {
  name: string;
  path: string;
  ids?: string;
  idColumn: string;
  vectorColumn: string;
  fallback: TableFallback;
}

export type InputSpec =
  | { kind: 'column'; column: string; fillNull?: number }
  | { kind: 'columns'; columns: string[]; fillNull?: number }
  | { kind: 'table'; table: string; key: string };

export type NeutralValue = 'zero' | 'mean' | number | { id: string | number };

export interface SlotSpec {
  name: string;
  inputs: string[];
  neutral?: NeutralValue;
  description?: string;
}

export interface RuntimeSpec {
  executionProviders: ProviderName[];
  batchSize: number;
  threads: number;
}

export interface RecLensConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Folder of the config file; relative paths resolve against it. */
  dir: string;
  name?: string;
  model: ModelSpec;
  data: DataSpec;
  tables: Record<string, TableSpec>;
  /** Explicit input mappings; inputs not listed are fed from same-named columns. */
  inputs: Record<string, InputSpec>;
  /** Explicit slots; when empty, one slot per model input. */
  slots: SlotSpec[];
  runtime: RuntimeSpec;
  /** Named slices of the evaluation rows (reclens.json `slices`). */
  slices?: SliceSpec[];
  /** Sections that later commands read (preferences, interactions), kept raw. */
  raw: Record<string, unknown>;
}
