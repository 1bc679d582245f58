// Messages about option values.

/** Option values. */
export const OPTION_MESSAGES = {
  badNumberOption: (flag: string, text: string, want: string) => `${flag} '${text}' is not ${want}`,
  badInputShapeOption: (text: string) =>
    `--input-shape '${text}' is not a list of positive integers; write it like 1,8,8 (per sample, without the batch dimension)`,
} as const;
