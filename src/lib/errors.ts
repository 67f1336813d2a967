// Runtime error classes. Every runtime failure is an Error subclass with a literal `code`, so
// callers branch on `code`, never on message text. Never throw plain objects; never swallow.

export class KroError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A value an expression needs is not there yet: a wait, not a failure. */
export class DataPendingError extends KroError {
  /** Dotted path of what is missing, e.g. `database.status.endpoint`. */
  readonly missing: string;
  constructor(missing: string, message?: string, options?: { cause?: unknown }) {
    super('DataPending', message ?? `waiting for ${missing}`, options);
    this.missing = missing;
  }
}

/** An expression failed for a reason other than missing data. */
export class ExpressionError extends KroError {
  readonly expression: string;
  constructor(expression: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'ExpressionError', message, options);
    this.expression = expression;
  }
}

/** Evaluation exceeded a bound (time, size): see spec/03 §8.3. */
export class BudgetExceededError extends KroError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ExpressionBudgetExceeded', message, options);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
