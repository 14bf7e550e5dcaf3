import { checkConfigFile } from '../../engine/check/checkConfig';
import { formatProblem } from '../../engine/config/problems';
import { modelLoadProblem } from '../../engine/check/modelLoad';
import { inputError, usageError } from '../../engine/errors';
import type { Io } from '../io';
import { Flags, flagBool, flagString } from '../flags';

/**
 * Lints a config the way the editor does: every problem with file, line and column range, severity and code, and
 * the quick fixes on offer. Exits 2 when there are errors, so configs can be checked in CI.
 */
export async function checkCommand(args: { config: string; json: boolean }, io: Io): Promise<number> {
  let problems;
  try {
    problems = await checkConfigFile(args.config, { leakage: true, loadModel: modelLoadProblem, sampleOutput: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw inputError(`Config file "${args.config}" cannot be read (ENOENT). Check the path.`, { file: args.config });
    throw e;
  }
  if (args.json) io.out(JSON.stringify({ config: args.config, problems }, null, 2));
  else if (problems.length === 0) io.out(`${args.config}: no problems`);
  else
    io.out(
      problems
        .map(
          (p) =>
            formatProblem(p) + (p.fixes?.length ? `\n    quick fix: ${p.fixes.map((f) => f.title).join('; ')}` : ''),
        )
        .join('\n'),
    );
  return problems.some((p) => p.severity === 'error') ? 2 : 0;
}

export async function checkFromFlags(f: Flags, io: Io): Promise<number> {
  const config = flagString(f, 'config');
  if (!config) throw usageError('check needs --config <reclens.json>.');
  return checkCommand({ config, json: flagBool(f, 'json') }, io);
}
