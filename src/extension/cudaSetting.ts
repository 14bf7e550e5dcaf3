/**
 * Hands the reclens.cudaLibraryPath setting to the engine (RECLENS_CUDA_LIBRARY_PATH, read when an inference
 * worker opens a session on the CUDA provider). The setting is machine-scoped: a workspace cannot name native
 * libraries for RecLens to load.
 */
import * as vscode from 'vscode';
import { CUDA_LIBRARY_PATH_ENV } from '../engine/model/cudaLibraries';

export function applyCudaLibraryPath(): vscode.Disposable {
  const apply = () => {
    const folder = vscode.workspace.getConfiguration('reclens').get<string>('cudaLibraryPath', '').trim();
    if (folder) process.env[CUDA_LIBRARY_PATH_ENV] = folder;
    else delete process.env[CUDA_LIBRARY_PATH_ENV];
  };
  apply();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('reclens.cudaLibraryPath')) apply();
  });
}
