// Error types that carry an exit code. Every failure a user can cause is an OhmnetError with a one-line message
// that names the problem and the fix; anything else reaching the CLI is a bug in ohmnet (exit code 3).
// The message texts themselves live in messages/ so wording stays consistent and testable.

/** Exit codes as in SPEC "Interfaces": 0 success, 1 a check failed, 2 bad input or usage, 3 internal error (a bug). */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 3 } as const;

export type ErrorKind = 'input' | 'usage' | 'check';

/**
 * How a message names an option. Library code knows only the API's option names (fanIn, signalLimitV); the CLI
 * renders them as its flags (--fan-in) and the config loader as the file's keys, so no library message speaks CLI.
 */
export type Namer = (option: string) => string;

/** A message: plain text, or text that names options through a Namer. */
export type MessageText = string | ((name: Namer) => string);

/** The API's naming: the option's own name. */
export const apiNamer: Namer = (option) => option;

/** Messages must be one line: a multi-line message would be a bug in the caller. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

export class OhmnetError extends Error {
  readonly kind: ErrorKind;
  private readonly text: MessageText;
  constructor(kind: ErrorKind, text: MessageText) {
    super(oneLine(typeof text === 'string' ? text : text(apiNamer)));
    this.kind = kind;
    this.text = text;
    this.name = 'OhmnetError';
  }
  get exitCode(): number {
    return this.kind === 'check' ? EXIT.checkFailed : EXIT.badInput;
  }
  /** The message with its options named by `name` (the CLI passes its flag names). */
  messageWith(name: Namer): string {
    return typeof this.text === 'string' ? this.message : oneLine(this.text(name));
  }
}

/** Bad input: a malformed file, an unsupported op, an impossible constraint. Exit code 2. */
export function inputError(message: MessageText): OhmnetError {
  return new OhmnetError('input', message);
}

/** Bad usage of the CLI or API: unknown option, missing argument. Exit code 2. */
export function usageError(message: MessageText): OhmnetError {
  return new OhmnetError('usage', message);
}

/** A verification that ran and failed (e.g. SPICE disagrees with the model). Exit code 1. */
export function checkError(message: MessageText): OhmnetError {
  return new OhmnetError('check', message);
}

export function isOhmnetError(e: unknown): e is OhmnetError {
  return e instanceof OhmnetError;
}
