/**
 * The execution-provider chain. onnxruntime-node does not fall back by itself (a provider that fails to load
 * throws), so each provider is tried alone, its failure recorded, and the next tried.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { InferenceSession } from 'onnxruntime-node';
import type { ProviderName } from '../config/types';
import { inputError, nativeReason } from '../errors';
import { cudaInstructions, prepareCuda } from './cudaLibraries';

export interface ProviderFallback {
  provider: string;
  reason: string;
}

export interface ModelSession {
  session: InferenceSession;
  provider: ProviderName;
  fallbacks: ProviderFallback[];
}

export type Ort = typeof import('onnxruntime-node');

let ortModule: Ort | undefined;
/** onnxruntime-node, loaded on first use (it is a large native module). */
export function ort(): Ort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use: the native library is heavy
  if (!ortModule) ortModule = require('onnxruntime-node') as Ort;
  return ortModule;
}

/**
 * Why a provider certainly cannot load here, checked without asking onnxruntime (whose failed attempts print
 * native errors to stderr). Undefined means "try it".
 */
export function providerPrecheck(provider: ProviderName): string | undefined {
  if (provider === 'cuda') return prepareCuda();
  if (provider === 'webgpu' && process.platform === 'linux') {
    const dirs = [
      '/usr/lib/x86_64-linux-gnu',
      '/usr/lib/aarch64-linux-gnu',
      '/usr/lib64',
      '/usr/lib',
      '/lib/x86_64-linux-gnu',
      ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    ];
    if (!dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1'))))
      return 'no Vulkan loader (libvulkan.so.1) on this machine, which WebGPU needs on Linux';
  }
  if (
    (provider === 'dml' && process.platform !== 'win32') ||
    (provider === 'coreml' && process.platform !== 'darwin')
  ) {
    return `${provider} is not available on ${process.platform}`;
  }
  return undefined;
}

export async function createSession(
  model: string | Uint8Array,
  providers: ProviderName[],
  threads = 0,
): Promise<ModelSession> {
  const modelFile = typeof model === 'string' ? model : 'a RecLens-built ONNX graph';
  const fallbacks: ProviderFallback[] = [];
  const chain = providers.length ? providers : (['cpu'] as ProviderName[]);
  for (const provider of chain) {
    const unavailable = providerPrecheck(provider);
    if (unavailable) {
      fallbacks.push({ provider, reason: unavailable });
      continue;
    }
    try {
      // Quiet onnxruntime's own logging for providers that may fail: the failure is recorded, not printed.
      const options: InferenceSession.SessionOptions = {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        logSeverityLevel: provider === 'cpu' ? 2 : 4,
      };
      if (threads > 0) options.intraOpNumThreads = threads;
      const session =
        typeof model === 'string'
          ? await ort().InferenceSession.create(model, options)
          : await ort().InferenceSession.create(model, options);
      return { session, provider, fallbacks };
    } catch (e) {
      // The CUDA provider's libraries were found but did not load: most often CUDA 12 / cuDNN 9 are not loadable.
      fallbacks.push({
        provider,
        reason: provider === 'cuda' ? `${nativeReason(e)} (to use the GPU, ${cudaInstructions()})` : nativeReason(e),
      });
    }
  }
  const last = fallbacks[fallbacks.length - 1];
  const tried = fallbacks.map((f) => f.provider).join(', ');
  if (chain.includes('cpu')) {
    throw inputError(
      `onnxruntime could not load model ${modelFile} on any execution provider (tried ${tried}). The CPU provider said: ${last.reason}. Check the model with onnx.checker and that its opset is supported by onnxruntime 1.30.`,
      { file: modelFile, field: 'model' },
    );
  }
  throw inputError(
    `No execution provider could run ${modelFile} (tried ${tried}; last reason: ${last.reason}). Add "cpu" to runtime.executionProviders as a final fallback.`,
    { file: modelFile, field: 'runtime.executionProviders' },
  );
}
