// Formatting shared by messages and the IR (shapes as users read them). Part of messages/, which imports nothing but
// errors.ts types, so every folder may use it.

export type Shape = readonly number[];

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A number in a message: four significant digits without the zeros after a decimal point (5000 stays 5000, 0.001000
 * becomes 0.001, 1.000e+7 becomes 1e+7); an integer's own zeros are kept (a formatter that stripped them too once
 * printed 5000 as 5). Non-finite values as JavaScript prints them.
 */
export function sig4(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4).replace(/(\.\d*?)0+(?=e|$)/, '$1').replace(/\.(?=e|$)/, '') : String(v);
}
