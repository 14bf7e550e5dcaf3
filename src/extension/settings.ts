/** The extension's settings, read fresh at each use so changes apply without a reload. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProviderName } from '../engine/config/types';
import { DEFAULT_ROW_CACHE_MAX_MB, setRowCacheMaxMB } from '../engine/data/rowCacheDisk';
import { DEFAULT_MODEL_CACHE_MAX_MB, modelCacheBound } from '../engine/model/modelCacheContents';
import { setAllowedFolders, setWorkspaceFolders } from '../engine/util/fileRoots';
import { DEFAULT_MAX_FILE_MB, setMaxFileSizeMB } from '../engine/util/safeFile';

export interface RunSettings {
  providers?: ProviderName[];
  batchSize?: number;
  bootstrap: number;
  seed: number;
  runsDir(configDir: string): string;
}

export function readSettings(): RunSettings {
  const c = vscode.workspace.getConfiguration('reclens');
  const providers = c.get<ProviderName[]>('executionProviders', []);
  const batch = c.get<number>('batchSize', 0);
  const runsDirectory = c.get<string>('runsDirectory', '.reclens/runs');
  return {
    providers: providers.length ? providers : undefined,
    batchSize: batch > 0 ? batch : undefined,
    bootstrap: c.get<number>('bootstrapReplicates', 200),
    seed: c.get<number>('seed', 0),
    runsDir: (configDir) => (path.isAbsolute(runsDirectory) ? runsDirectory : path.join(configDir, runsDirectory)),
  };
}

/** Applies `reclens.maxFileSizeMB` (the largest model, data or table file RecLens reads) to the engine. */
export function applyFileLimit(): void {
  setMaxFileSizeMB(vscode.workspace.getConfiguration('reclens').get<number>('maxFileSizeMB', DEFAULT_MAX_FILE_MB));
}

/**
 * Applies `reclens.rowCacheMaxMB` (the disk kept for decoded rows, trimmed after each spill) and
 * `reclens.modelCacheMaxMB` (the disk kept for saved model graphs, trimmed after each save or use) to the engine.
 * Machine settings: a cloned repository's .vscode/settings.json cannot make RecLens keep, or delete, more of its cache.
 */
export function applyRowCacheBound(): void {
  const c = vscode.workspace.getConfiguration('reclens');
  setRowCacheMaxMB(c.get<number>('rowCacheMaxMB', DEFAULT_ROW_CACHE_MAX_MB));
  modelCacheBound.setMB(c.get<number>('modelCacheMaxMB', DEFAULT_MODEL_CACHE_MAX_MB));
}

/**
 * Where a config's files may lie (see fileRoots): inside the workspace folder that holds the config, or a folder in
 * `reclens.allowedFolders` (a machine setting, so a cloned repository's .vscode/settings.json cannot widen it).
 */
export function applyFileRoots(): void {
  setWorkspaceFolders(
    (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
  );
  setAllowedFolders(
    vscode.workspace
      .getConfiguration('reclens')
      .get<string[]>('allowedFolders', [])
      .filter((d) => typeof d === 'string'),
  );
}
