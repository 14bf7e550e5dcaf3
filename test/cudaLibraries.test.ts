import assert from 'node:assert/strict';
import * as path from 'path';
import { test } from 'node:test';
import { CUDA_LIBRARY_PATH_ENV, cudaLibraryFolders, ortVersion, prepareCuda } from '../src/engine/model/cudaLibraries';
import { tempDir } from './helpers';

// These run where onnxruntime-node has no CUDA provider libraries (as shipped); they never write into node_modules.
test(
  'without the CUDA provider libraries, the reason says what to download and which setting to set, and no npm command',
  { skip: process.platform !== 'linux' || process.arch !== 'x64' ? 'the CUDA provider is Linux x64 only' : false },
  () => {
    const reason = prepareCuda({});
    assert.ok(reason, 'CUDA is reported unavailable');
    assert.match(reason!, new RegExp(`onnxruntime-linux-x64-gpu-${ortVersion().replace(/\./g, '\\.')}\\.tgz`));
    assert.match(reason!, /reclens\.cudaLibraryPath/);
    assert.match(reason!, new RegExp(CUDA_LIBRARY_PATH_ENV));
    assert.match(reason!, /CUDA 12 and cuDNN 9/);
    assert.doesNotMatch(reason!, /\bnpm\b/);
  },
);

test(
  'a named folder without the provider libraries is named in the reason; its lib/ is searched too',
  { skip: process.platform !== 'linux' || process.arch !== 'x64' ? 'the CUDA provider is Linux x64 only' : false },
  () => {
    const dir = tempDir();
    const lib = path.join(dir, 'lib');
    require('fs').mkdirSync(lib);
    assert.deepEqual(cudaLibraryFolders({ [CUDA_LIBRARY_PATH_ENV]: `${dir}:/does/not/exist` }), [dir, lib]);
    const reason = prepareCuda({ [CUDA_LIBRARY_PATH_ENV]: dir });
    assert.match(
      reason!,
      new RegExp(
        `not found in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, ${lib.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
  },
);
