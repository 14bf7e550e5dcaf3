/**
 * Messages name files relative to the config's folder. The engine builds them with the absolute paths it works
 * with; the CLI and the editor pass them through here before showing them, so a message says "data.csv", not a
 * temporary or home folder's path (files outside the folder keep their absolute path: that is where they are).
 */
import * as path from 'path';

/** `text` with every absolute path inside `base` made relative to it. */
export function relativePaths(text: string, base: string | undefined): string {
  if (!base) return text;
  const prefix = path.resolve(base) + path.sep;
  return prefix.length > 1 ? text.split(prefix).join('') : text;
}
