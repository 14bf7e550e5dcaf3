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
import type { ModelCacheFiles, ModelCacheUse } from './modelCache';

export interface ProviderFallback {
  provider: string;
  reason: string;
}

export interface ModelSession {
  session: InferenceSession;
  provider: ProviderName;
  fallbacks: ProviderFallback[];
  /** Whether a saved graph was loaded or saved (model/modelCache.ts); absent without a cache. */
  cache?: ModelCacheUse;
}

/**
 * A session's saved graph, in the ORT format, must outlive the session: onnxruntime uses its initializers in place
 * (use_ort_model_bytes_for_initializers), so the buffer is kept as long as the session object.
 */
const savedGraphBytes = new WeakMap<InferenceSession, Buffer>();

/** Loads a graph onnxruntime saved (modelCache.ts) with its initializers used in place; undefined if it cannot. */
async function loadSavedGraph(
  file: string,
  options: InferenceSession.SessionOptions,
): Promise<InferenceSession | undefined> {
  try {
    const bytes = fs.readFileSync(file);
    const session = await ort().InferenceSession.create(bytes, {
      ...options,
      extra: { session: { use_ort_model_bytes_directly: '1', use_ort_model_bytes_for_initializers: '1' } },
    });
    savedGraphBytes.set(session, bytes);
    return session;
  } catch {
    return undefined; // gone, unreadable, or from another build: rebuilt from the model
  }
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

/**
 * `cache` (CPU provider, model from a file only): a saved graph to load instead of the model, and a file to save the
 * graph onnxruntime builds into when it loads the model itself (model/modelCache.ts).
 */
export async function createSession(
  model: string | Uint8Array,
  providers: ProviderName[],
  threads = 0,
  cache?: ModelCacheFiles,
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
      if (typeof model === 'string' && provider === 'cpu' && cache) {
        const saved = cache.load && (await loadSavedGraph(cache.load, options));
        if (saved) return { session: saved, provider, fallbacks, cache: 'hit' };
        if (cache.save) {
          try {
            const session = await ort().InferenceSession.create(model, {
              ...options,
              optimizedModelFilePath: cache.save,
              // Not its warning that the saved graph suits this machine only: the cache key holds the CPU model.
              logSeverityLevel: 3,
            });
            return { session, provider, fallbacks, cache: 'saved' };
          } catch {
            /* perhaps the save itself (a full disk): the plain load below says what is wrong with the model, if anything */
          }
        }
      }
      const session =
        typeof model === 'string'
          ? await ort().InferenceSession.create(model, options)
          : await ort().InferenceSession.create(model, options);
      return { session, provider, fallbacks, ...(cache && typeof model === 'string' ? { cache: 'off' as const } : {}) };
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
