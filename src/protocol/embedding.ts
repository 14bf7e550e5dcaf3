/**
 * Typed messages between the extension host and RecLens webviews (the pattern of vscode-hexeditor's
 * shared/protocol.ts). Both sides import this file; nothing here touches vscode or the DOM.
 * Large point sets travel as typed arrays, never as arrays of objects.
 */

// The embedding view is the engine's own type (the engine never imports the protocol); the webview sees it from here.
import type { EmbeddingView } from '../engine/embedding/view';
export type { EmbeddingView, MetadataColumn } from '../engine/embedding/view';

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
