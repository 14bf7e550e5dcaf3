import { loadConfig } from '../../engine/config/loadConfig';
import { formatProblem, Problem } from '../../engine/config/problems';
import { RecLensError } from '../../engine/errors';
import { openWorkspace } from '../../engine/workspace';
import type { Io } from '../io';

/**
 * Validates a config: schema and files first, then (if those pass) opens the model and data to check columns,
 * dtypes and shapes, without running the model. Exits 2 when there are errors.
 */
export async function checkCommand(args: { config: string; json: boolean }, io: Io): Promise<number> {
  const loaded = loadConfig(args.config);
  const problems: Problem[] = [...loaded.problems];
  if (loaded.config && !problems.some((p) => p.severity === 'error')) {
    try {
      const ws = await openWorkspace(loaded.config);
      if (!loaded.config.data.group) {
        problems.push({ severity: 'information', code: 'no-group', message: 'No data.group column: GAUC and group bootstrap are disabled (intervals resample rows).', file: loaded.config.file, ...loaded.locator.rangeOf(['data']), path: ['data'] });
      }
      ws.close();
    } catch (e) {
      if (!(e instanceof RecLensError)) throw e;
      const p = e.where.path ?? [];
      problems.push({ severity: 'error', code: 'workspace', message: e.message, file: loaded.config.file, ...loaded.locator.rangeOf(p), path: p });
    }
  }
  if (args.json) io.out(JSON.stringify({ config: loaded.config?.file ?? args.config, problems }, null, 2));
  else if (problems.length === 0) io.out(`${args.config}: no problems`);
  else io.out(problems.map(formatProblem).join('\n'));
  return problems.some((p) => p.severity === 'error') ? 2 : 0;
}
