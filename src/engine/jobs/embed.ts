/** Job `embed`: a PCA or UMAP projection of an embedding table with its kNN. The work is in ../embedding/jobs.ts. */
export { embed } from '../embedding/jobs';
export type { EmbedOptions, EmbedResult } from '../embedding/jobs';
export type { EmbeddingView } from '../embedding/view';
