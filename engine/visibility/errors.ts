/**
 * A visibility query that cannot be run: bad syntax, an unknown search attribute, an operator the
 * attribute's type does not support, or a value of the wrong type. The engine answers it with gRPC
 * INVALID_ARGUMENT, passing the message on unchanged.
 */
export class VisibilityQueryError extends Error {
  /** The search attribute at fault, when the fault is about one. */
  readonly field?: string;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'VisibilityQueryError';
    if (field !== undefined) this.field = field;
  }
}

/** Syntax fault at a 1-based character position of the query text. */
export function syntaxError(position: number, near: string, expected: string): VisibilityQueryError {
  const where = near === '' ? 'at the end of the query' : `at position ${position} near '${near}'`;
  return new VisibilityQueryError(`malformed query: syntax error ${where}: expected ${expected}`);
}
