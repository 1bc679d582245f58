// Error types that carry an exit code. Every failure a user can cause is an OhmnetError with a one-line message
// that names the problem and the fix; anything else reaching the CLI is a bug in ohmnet (exit code 3).
// The message texts themselves live in messages.ts so wording stays consistent and testable.

/** Exit codes as in SPEC "Interfaces": 0 success, 1 a check failed, 2 bad input or usage, 3 internal error (a bug). */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 3 } as const;

export type ErrorKind = 'input' | 'usage' | 'check';

export class OhmnetError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    // Messages must be one line: a multi-line message would be a bug in the caller.
    super(message.replace(/\s*\n\s*/g, ' '));
    this.kind = kind;
    this.name = 'OhmnetError';
  }
  get exitCode(): number {
    return this.kind === 'check' ? EXIT.checkFailed : EXIT.badInput;
  }
}

/** Bad input: a malformed file, an unsupported op, an impossible constraint. Exit code 2. */
export function inputError(message: string): OhmnetError {
  return new OhmnetError('input', message);
}

/** Bad usage of the CLI or API: unknown option, missing argument. Exit code 2. */
export function usageError(message: string): OhmnetError {
  return new OhmnetError('usage', message);
}

/** A verification that ran and failed (e.g. SPICE disagrees with the model). Exit code 1. */
export function checkError(message: string): OhmnetError {
  return new OhmnetError('check', message);
}

export function isOhmnetError(e: unknown): e is OhmnetError {
  return e instanceof OhmnetError;
}
