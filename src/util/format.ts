// Small formatting helpers shared by messages and IR code (a leaf module: it imports nothing).

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export type Shape = readonly number[];
