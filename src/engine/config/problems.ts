/** Positioned problems in a config file: the shape the CLI prints and the editor turns into diagnostics. */
export type Severity = 'error' | 'warning' | 'information';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface Problem {
  severity: Severity;
  code: string;
  message: string;
  file: string;
  start: Position;
  end: Position;
  /** JSON path of the field the problem is about, e.g. ["inputs", "user_id", "column"]. */
  path: (string | number)[];
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.start.line}:${p.start.column}: ${p.severity} ${p.code}: ${p.message}`;
}
