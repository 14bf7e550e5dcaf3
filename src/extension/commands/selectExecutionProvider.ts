/** "RecLens: Select Execution Provider": the provider chain for this workspace's runs (argument, or a pick). */
import * as vscode from 'vscode';
import type { ProviderName } from '../../engine/config/types';
import type { Services } from './services';

const CHAINS: { label: string; detail: string; chain: ProviderName[] | undefined }[] = [
  {
    label: 'Automatic',
    detail: "The config's runtime.executionProviders, else settings, else CUDA -> WebGPU -> CPU",
    chain: undefined,
  },
  {
    label: 'CUDA, then CPU',
    detail: "NVIDIA GPU through onnxruntime-node's CUDA provider (needs the CUDA build)",
    chain: ['cuda', 'cpu'],
  },
  { label: 'WebGPU, then CPU', detail: 'Any GPU with a WebGPU (Dawn) adapter', chain: ['webgpu', 'cpu'] },
  { label: 'CPU only', detail: 'Always available', chain: ['cpu'] },
];

export const selectExecutionProvider =
  ({ runs, output }: Services) =>
  async (chain?: ProviderName[] | 'auto') => {
    let picked = chain === 'auto' ? undefined : chain;
    if (chain === undefined) {
      const item = await vscode.window.showQuickPick(
        CHAINS.map((c) => ({
          ...c,
          description: JSON.stringify(c.chain) === JSON.stringify(runs.providerOverride) ? '(current)' : '',
        })),
        { placeHolder: 'Execution providers for RecLens runs in this workspace' },
      );
      if (!item) return runs.providerOverride;
      picked = item.chain;
    }
    await runs.setProviderOverride(picked);
    output.appendLine(`Execution providers: ${picked ? picked.join(' -> ') : 'automatic'}`);
    return runs.providerOverride;
  };
