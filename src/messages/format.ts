// Formatting shared by messages and the IR (shapes as users read them). Part of messages/, which imports nothing but
// errors.ts types, so every folder may use it.

export type Shape = readonly number[];

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
