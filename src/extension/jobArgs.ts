/**
 * The options of a job started in the editor: the settings (seed, bootstrap, batch size, providers) where the job
 * takes them, then whatever the command's argument sets, for every option in the job registry. The argument may come
 * from another extension or a panel, so each value is checked against the registry's description. No vscode here.
 */
import type { ProviderName } from '../engine/config/types';
import { checkOptionValue } from '../engine/jobs/options';
import { JobKind, JobOptionsOf, jobSpec } from '../engine/jobs/registry';

/** What a command argument may set for a job: any of its options, typed from the registry. */
export type JobArgs<K extends JobKind = JobKind> = Partial<JobOptionsOf<K>>;

export interface EditorRunSettings {
  seed: number;
  bootstrap: number;
  batchSize?: number;
}

/** The options for `jobSpec(kind).run`; what a caller may set is typed by JobArgs, what arrives here is checked. */
export function editorJobOptions(
  kind: JobKind,
  settings: EditorRunSettings,
  providers: ProviderName[] | undefined,
  args?: unknown,
): Record<string, unknown> {
  const spec = jobSpec(kind);
  const takes = (name: string) => spec.options.some((o) => o.name === name);
  const options: Record<string, unknown> = {};
  if (takes('seed')) options.seed = settings.seed;
  if (takes('providers')) options.providers = providers;
  if (takes('batchSize')) options.batchSize = settings.batchSize;
  if (takes('bootstrap')) options.bootstrap = settings.bootstrap;
  const given = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  for (const o of spec.options) {
    const v = given[o.name];
    if (v !== undefined) options[o.name] = checkOptionValue(kind, o, v);
  }
  return options;
}
