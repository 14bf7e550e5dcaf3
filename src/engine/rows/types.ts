/** Shapes of the rows explorer and the row What-If, shared by the engine, the CLI's --json and the panel protocol. */

/** How wrong the model is on a row: its per-row LogLoss, -log p for a positive and -log(1 - p) for a negative. */
export const WRONGNESS =
  'per-row LogLoss: -log(p) for a positive, -log(1 - p) for a negative (p clipped to [1e-7, 1 - 1e-7]); the same order as |label - p|';

/** 'slot': by how much one slot moves each row's probability when masked (largest first with descending). */
export type RowSort = 'loss' | 'score' | 'label' | 'row' | 'slot';

export interface RowQuery {
  sort: RowSort;
  descending: boolean;
  /** A slice name (configured or "auto:..."), or undefined for all rows. */
  slice?: string;
  /** The slot for sort 'slot'. */
  slot?: string;
  /** Only the rows of this item (exact id). */
  item?: string;
  /** Case-insensitive substring of the user id, item id or item label. */
  search?: string;
  offset: number;
  limit: number;
}

export interface SlotText {
  slot: string;
  text: string;
}

export interface RowView {
  /** 0-based index among the evaluation rows (after data.filter). */
  index: number;
  user: string | null;
  item: string | null;
  itemLabel: string | null;
  /** The user's interactions before this row's time in the interactions log (null without one). */
  historyLength: number | null;
  label: number;
  /** The model's raw output. */
  score: number;
  /** The probability (sigmoid of a logit output). */
  prob: number;
  loss: number;
  slots: SlotText[];
}

export interface RowPage {
  /** Rows matching the slice and search. */
  total: number;
  offset: number;
  rows: RowView[];
}

/** One input of a slot as the What-If editor shows it. */
export interface InputValues {
  input: string;
  width: number;
  dtype: string;
  /** The row's values (first 64 when wider). */
  values: number[];
  /** Every value is 0 or 1 and there are several: edited as toggles. */
  multiHot: boolean;
}

export interface SlotDetail {
  slot: string;
  description?: string;
  inputs: InputValues[];
  text: string;
}

/** An edit of one row: copy a slot from another row (another item, another user), or set one value. */
export type RowEdit =
  { kind: 'fromRow'; slot: string; source: number } | { kind: 'value'; input: string; offset: number; value: number };

export interface Attribution {
  slot: string;
  /** Probability with the slot masked to its neutral value. */
  maskedProb: number;
  /** prob - maskedProb: what the slot adds to this row's probability. */
  effect: number;
  /** Probabilities with the slot taken from K other rows (seeded): the spread of plausible values. */
  permuted: { k: number; min: number; max: number; mean: number; sd: number };
}

export interface OcclusionResult {
  index: number;
  prob: number;
  score: number;
  /** Probability with every slot masked: the waterfall's start. */
  allMaskedProb: number;
  /** Largest |effect| first. */
  attributions: Attribution[];
  /** prob - allMaskedProb - sum of effects: what the slots do together beyond their separate effects. */
  interaction: number;
  k: number;
  seed: number;
}

export interface FlipCandidate {
  slot: string;
  /** 'neutral', or the row whose slot values were taken. */
  source: 'neutral' | number;
  text: string;
  prob: number;
  /** L2 distance of the slot's values from the row's, divided by the median distance among the candidates. */
  relativeChange: number;
}

export interface FlipResult {
  index: number;
  threshold: number;
  prob: number;
  /** The smallest single-slot change that moves the probability across the threshold, or null if no candidate does. */
  best: FlipCandidate | null;
  /** The smallest flipping change of each slot that has one. */
  perSlot: FlipCandidate[];
  candidatesPerSlot: number;
}

export interface CounterfactualRow {
  index: number;
  user: string | null;
  item: string | null;
  edits: RowEdit[];
  /** Probability of the edited row when it was saved. */
  prob: number;
}

export interface CounterfactualSet {
  version: 1;
  name: string;
  createdAt: string;
  config: string;
  model: { file: string; sha256: string };
  rows: CounterfactualRow[];
}

export interface RescoredRow extends CounterfactualRow {
  /** Probability of the edited row under the current model and data; null when the row no longer matches. */
  now: number | null;
  stale?: string;
}
