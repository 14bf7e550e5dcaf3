/**
 * Typed messages for the Feature Impact, LIS and Run panels. Result shapes are the engine's own (type-only
 * imports, erased in the webview bundle), so the panels show exactly what the CLI prints and never compute metrics.
 */
import type { AblationResult } from '../engine/ablation/ablate';
import type { CeilingResult } from '../engine/ablation/ceiling';
import type { RunComparison } from '../engine/compare';
import type { LisResult } from '../engine/lis/lis';
import type { HistoryPoint } from '../engine/runs/history';
import type { RunRecord } from '../engine/runs/runRecord';

// The engine's result shapes the panels draw, re-exported so that the webview imports only src/protocol.
export type { AblationMethod, AblationResult, AblationRow } from '../engine/ablation/ablate';
export type { CeilingResult, CeilingRow } from '../engine/ablation/ceiling';
export type { RunComparison } from '../engine/compare';
export type { EvalResult } from '../engine/evaluate';
export type { LisResult } from '../engine/lis/lis';
export type { Calibration, CalibrationBin } from '../engine/metrics/loss';
export type { Curves } from '../engine/metrics/curves';
export type { HistoryPoint } from '../engine/runs/history';
export type { RunRecord } from '../engine/runs/runRecord';
export type { SliceReport, SliceRow } from '../engine/slices/sliceMetrics';

export interface RunRef {
  runId: string;
  createdAt: string;
  seed: number;
  executionProvider: string;
}

export interface SlotInfo {
  name: string;
  inputs: string[];
  description?: string;
}

export interface FeatureImpactData {
  title: string;
  configFile: string;
  slots: SlotInfo[];
  /** The latest ablation and ceiling runs of this config, if any. */
  ablation: (AblationResult & RunRef) | null;
  ceiling: (CeilingResult & RunRef) | null;
}

export interface LisPanelData {
  title: string;
  configFile: string;
  lis: (LisResult & RunRef) | null;
}

export interface RunPanelData {
  title: string;
  record: RunRecord;
  /** Present when the user compared this run with another. */
  comparison?: RunComparison;
}

/** AUC / GAUC with intervals across the evaluation runs of a workspace (the Runs view's history chart). */
export interface HistoryPanelData {
  title: string;
  points: HistoryPoint[];
}

export type PanelKind = 'impact' | 'lis' | 'run' | 'history';

export type HostToPanel =
  | { type: 'impact'; data: FeatureImpactData }
  | { type: 'lis'; data: LisPanelData }
  | { type: 'run'; data: RunPanelData }
  | { type: 'history'; data: HistoryPanelData }
  | { type: 'busy'; message: string | null }
  | { type: 'error'; message: string }
  /** The host's answer to the request whose messageId is `inReplyTo`: what happened, in words (null: cancelled). */
  | { type: 'reply'; inReplyTo: number; ok: boolean; message: string | null };

/** What a request came to: ok with a message to show ("Saved …") or none (cancelled), or not ok with the error. */
export type PanelReply = Extract<HostToPanel, { type: 'reply' }>;

export type ExportFormat = 'svg' | 'png' | 'csv';

export type PanelToHost =
  | { type: 'ready' }
  /** Reveal a slot's entry in reclens.json. */
  | { type: 'revealSlot'; slot: string }
  /** Ablate these slots; `together` ablates them as one group ("a+b"). */
  | { type: 'runAblation'; slots: string[]; together: boolean }
  | { type: 'runCeiling'; slots: string[] }
  | { type: 'runLis' }
  /** Save an exported chart or table: SVG and CSV as text, PNG as bytes. A request: the host replies. */
  | {
      type: 'export';
      messageId?: number;
      format: ExportFormat;
      suggestedName: string;
      text?: string;
      bytes?: Uint8Array;
    }
  /** Ask the host to pick another run and compare it with the one shown. A request: the host replies. */
  | { type: 'compareWith'; messageId?: number }
  | { type: 'openRecord'; runId: string }
  /** Open the rows explorer sorted by how much this slot moves each row when masked. */
  | { type: 'showRows'; slot: string };

/**
 * Messages the host answers (as hexeditor's MessageHandler): the webview numbers each with `messageId`, and the
 * host's `reply` names it in `inReplyTo`. A request without a messageId (an older webview) gets no reply.
 */
export type PanelRequest = Extract<PanelToHost, { type: 'export' | 'compareWith' }>;
