/**
 * What the embedding panel draws, as the engine builds it. The protocol re-exports these types for the webview; they
 * live here so the engine imports nothing from the protocol. Large point sets are typed arrays, never object arrays.
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
