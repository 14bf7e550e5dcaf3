/**
 * Errors the user can act on. The CLI prints `message` (one paragraph, no stack) and exits with `exitCode`;
 * the extension shows it in a notification. Anything that is not a RecLensError is a bug in RecLens.
 */
export type ErrorKind = 'usage' | 'input' | 'cancelled';

export interface ErrorWhere {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  /** JSON path in the config of the field at fault, so the message can point at its line. */
  path?: (string | number)[];
  /** A likely intended value for the field (a "did you mean"), offered as a quick fix. */
  replacement?: string;
  /** Set when the problem is an unfed model input: the input's name. */
  unfedInput?: string;
}

export class RecLensError extends Error {
  readonly kind: ErrorKind;
  readonly where: ErrorWhere;
  constructor(kind: ErrorKind, message: string, where: ErrorWhere = {}) {
    super(message);
    this.name = 'RecLensError';
    this.kind = kind;
    this.where = where;
  }
  get exitCode(): number {
    return this.kind === 'usage' ? 1 : this.kind === 'cancelled' ? 130 : 2;
  }
}

/** Bad config, data or model: exit code 2. */
export function inputError(message: string, where: ErrorWhere = {}): RecLensError {
  return new RecLensError('input', message, where);
}

export function usageError(message: string): RecLensError {
  return new RecLensError('usage', message);
}

export class CancelledError extends RecLensError {
  constructor() {
    super('cancelled', 'The run was cancelled.');
  }
}

/** First line of a native library's message, without its internal source locations. */
export function nativeReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, 3)
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 400);
}
