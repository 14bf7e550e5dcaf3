/**
 * Typed messages between the extension host and RecLens webviews (the pattern of vscode-hexeditor's
 * shared/protocol.ts). Both sides import this file; nothing here touches vscode or the DOM.
 * Large point sets travel as typed arrays, never as arrays of objects.
 */

/** A metadata column for colouring and tooltips. Categories travel as codes into a dictionary. */
export type MetadataColumn =
  | { name: string; kind: 'category'; codes: Uint16Array; dictionary: string[] }
  | { name: string; kind: 'number'; values: Float32Array };

export interface EmbeddingView {
  /** The table's name in reclens.json, or "onnx:<initializer>" for the ranker's own id embeddings. */
  table: string;
  method: 'pca' | 'umap';
  /** Number of points shown (after sampling). */
  n: number;
  /** Rows of the table before sampling. */
  totalRows: number;
  /** Item id of each point (strings so ids of any type survive). */
  ids: string[];
  /** Optional display label of each point (e.g. a title); searched along with ids. */
  labels?: string[];
  /** x0, y0, x1, y1, ... */
  coords: Float32Array;
  /** PCA: share of variance of each shown component. */
  explainedVariance?: number[];
  metadata: MetadataColumn[];
  /** Size channel (e.g. log popularity); optional. */
  size?: Float32Array;
  /** K nearest neighbours of every point in the ORIGINAL space (cosine): n x k point indices and cosines. */
  knn: { k: number; indices: Uint32Array; cosines: Float32Array };
  seed: number;
}

export interface AlignmentSummary {
  k: number;
  /** Jaccard@K of the two tables' kNN lists over shared ids. */
  jaccardAtK?: number;
  /** recall@K of preference pairs in each table's kNN, by table name. */
  recallAtK?: Record<string, number>;
}

export interface EmbeddingPanelData {
  title: string;
  /** One table, or two shown side by side with linked selection (points matched by id). */
  views: EmbeddingView[];
  alignment?: AlignmentSummary;
}

/** State the webview keeps across hide/show (vscode.setState); the host never needs it. */
export interface EmbeddingUiState {
  colourBy?: string;
  /** Size by: '' none, the size channel, or a numeric metadata column. */
  sizeBy?: string;
  search?: string;
  selectedId?: string;
  transform?: { x: number; y: number; k: number }[];
}

export type HostToEmbeddingWebview =
  | { type: 'data'; data: EmbeddingPanelData }
  | { type: 'progress'; message: string }
  | { type: 'error'; message: string };

export type EmbeddingWebviewToHost =
  | { type: 'ready' }
  /** The user asked to open an item's entry (e.g. reveal in the data). */
  | { type: 'openItem'; table: string; id: string }
  | { type: 'selection'; table: string; ids: string[] };
