/**
 * Getting onnxruntime-node's CUDA execution provider to load, for an installed extension as for the CLI.
 *
 * How onnxruntime 1.x finds it: libonnxruntime loads libonnxruntime_providers_shared.so and
 * libonnxruntime_providers_cuda.so from ITS OWN folder (bin/napi-v6/<platform>/<arch> of onnxruntime-node), never
 * from the library path; the CUDA provider then needs CUDA 12 and cuDNN 9 (libcudart.so.12, libcublas(Lt).so.12,
 * libcufft.so.11, libcurand.so.10, libcudnn*.so.9) from the dynamic loader's path. onnxruntime-node ships without
 * the provider libraries (they come from onnxruntime's GPU release), and setting LD_LIBRARY_PATH inside a running
 * process changes nothing (the loader reads it at start).
 *
 * So, for the folders the user names (setting reclens.cudaLibraryPath, or RECLENS_CUDA_LIBRARY_PATH for the CLI):
 * the provider libraries found there are linked into onnxruntime's folder, and the CUDA / cuDNN libraries found there
 * are preloaded by absolute path (RTLD_GLOBAL, never unloaded), so that the provider's own dependencies resolve to
 * them by soname. Nothing is loaded from a workspace: the setting is machine-scoped and the CLI's variable is the
 * user's own environment.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CUDA_LIBRARY_PATH_ENV = 'RECLENS_CUDA_LIBRARY_PATH';
export const CUDA_PROVIDER_LIBS = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];
/** Preloaded in this order (dependencies first); a name matches any file that starts with it. */
const CUDA_RUNTIME_LIBS = [
  'libcudart.so.12',
  'libcublasLt.so.12',
  'libcublas.so.12',
  'libcufft.so.11',
  'libcurand.so.10',
  'libnvrtc.so.12',
  'libcudnn.so.9',
  'libcudnn_graph.so.9',
  'libcudnn_ops.so.9',
  'libcudnn_cnn.so.9',
  'libcudnn_adv.so.9',
  'libcudnn_heuristic.so.9',
  'libcudnn_engines_runtime_compiled.so.9',
  'libcudnn_engines_precompiled.so.9',
];
const RTLD_NODELETE = 0x1000; // glibc: a failed addon load dlcloses the library; this keeps it (and its soname) loaded

/** onnxruntime-node's folder of native libraries for this platform (the one libonnxruntime is loaded from). */
export function ortBinaryDir(): string {
  return path.join(
    path.dirname(require.resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
}

/** The onnxruntime version the CUDA provider libraries must match. */
export function ortVersion(): string {
  try {
    return JSON.parse(
      fs.readFileSync(path.join(path.dirname(require.resolve('onnxruntime-node')), '..', 'package.json'), 'utf8'),
    ).version;
  } catch {
    return '1.x';
  }
}

/** The folders named by RECLENS_CUDA_LIBRARY_PATH (':'-separated), each with its lib/ and lib64/ if present. */
export function cudaLibraryFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  const named = (env[CUDA_LIBRARY_PATH_ENV] ?? '')
    .split(path.delimiter)
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => (d.startsWith('~') ? path.join(os.homedir(), d.slice(1)) : d));
  return named
    .flatMap((d) => [d, path.join(d, 'lib'), path.join(d, 'lib64')])
    .filter((d) => fs.existsSync(d) && fs.statSync(d).isDirectory());
}

/** What to do when the CUDA provider cannot be used, for users of the extension and of the CLI alike. */
export function cudaInstructions(): string {
  const v = ortVersion();
  return (
    `on Linux x64 with an NVIDIA GPU, CUDA 12 and cuDNN 9: download onnxruntime-linux-x64-gpu-${v}.tgz from https://github.com/microsoft/onnxruntime/releases/tag/v${v}, unpack it, ` +
    `and set the setting reclens.cudaLibraryPath (CLI: the environment variable ${CUDA_LIBRARY_PATH_ENV}) to its lib folder, followed by the CUDA and cuDNN library folders if they are not on the system library path (':'-separated); ` +
    'then run Evaluate again: the status bar and the run record show "cuda"'
  );
}

let preloaded = false;

/**
 * Makes the CUDA provider loadable if the named folders allow it. Returns why CUDA certainly cannot load here
 * (undefined: try it).
 */
export function prepareCuda(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return `onnxruntime-node's CUDA provider is only available on Linux x64 here (this is ${process.platform}-${process.arch})`;
  const ortDir = ortBinaryDir();
  const folders = cudaLibraryFolders(env);
  for (const lib of CUDA_PROVIDER_LIBS) {
    const target = path.join(ortDir, lib);
    if (fs.existsSync(target)) continue;
    const source = folders.map((d) => path.join(d, lib)).find((f) => fs.existsSync(f));
    if (!source) {
      const where = folders.length
        ? `not found in ${folders.join(', ')}`
        : `${CUDA_LIBRARY_PATH_ENV} / reclens.cudaLibraryPath is not set`;
      return `the CUDA provider libraries (${CUDA_PROVIDER_LIBS.join(', ')}) are not installed (${where}). To use the GPU, ${cudaInstructions()}`;
    }
    try {
      fs.rmSync(target, { force: true }); // a dangling link from an earlier setting
      fs.symlinkSync(source, target);
    } catch (e) {
      return `could not link ${source} into onnxruntime's folder ${ortDir} (${(e as Error).message}); onnxruntime loads its CUDA provider from there only`;
    }
  }
  if (!preloaded && folders.length) {
    preloaded = true;
    const flags = os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE;
    for (const name of CUDA_RUNTIME_LIBS) {
      for (const dir of folders) {
        const file = fs
          .readdirSync(dir)
          .filter((f) => f.startsWith(name))
          .sort()[0];
        if (!file) continue;
        try {
          process.dlopen({ exports: {} }, path.join(dir, file), flags);
        } catch {
          /* "did not self-register": expected, the library stays loaded; a real failure shows when the provider loads */
        }
        break;
      }
    }
  }
  return undefined;
}
