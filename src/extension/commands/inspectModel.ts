/** "RecLens: Inspect Model": the ONNX model's inputs, outputs and embedding tables (reads the file, runs nothing). */
import { chooseConfig } from '../configs';
import { showError } from '../errorMessage';

export const inspectModel = () => async (arg?: unknown) => {
  const uri = await chooseConfig(arg);
  if (!uri) return undefined;
  try {
    const { requireConfig } = await import('../../engine/config/loadConfig');
    const { showInspection } = await import('../inspectView');
    return await showInspection(requireConfig(uri.fsPath).config.model.path);
  } catch (e) {
    void showError((e as Error).message);
    return undefined;
  }
};
