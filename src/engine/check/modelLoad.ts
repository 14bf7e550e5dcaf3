/** Whether onnxruntime can load a model (CPU, in a worker thread); the reason when it cannot. */
import { nativeReason } from '../errors';
import { RemoteSession } from '../model/remoteSession';

export async function modelLoadProblem(modelFile: string): Promise<string | undefined> {
  try {
    const rs = await RemoteSession.open(modelFile, ['cpu'], 1, '');
    await rs.close();
    return undefined;
  } catch (e) {
    return nativeReason(e);
  }
}
