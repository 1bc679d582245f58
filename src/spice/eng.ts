// Engineering notation for SPICE values (issue 10, observation 5): `280k`, `4.7k`, `1.5Meg` (in SPICE `M` is milli,
// so mega is `Meg`). Lossless: the text is the shortest round-trip decimal of the float64 with its decimal point
// shifted by the suffix's power of ten (a string operation, no arithmetic), so parseEng(eng(v)) === v exactly.

const SUFFIXES: ReadonlyArray<readonly [number, string]> = [
  [12, 'T'], [9, 'G'], [6, 'Meg'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n'], [-12, 'p'], [-15, 'f'],
];

/** Digits and decimal exponent of the shortest round-trip text: v = 0.d1d2... x 10^point. */
function decimal(v: number): { sign: string; digits: string; point: number } {
  const [mant, expText] = Math.abs(v).toExponential().split('e');
  const digits = mant.replace('.', '');
  return { sign: v < 0 ? '-' : '', digits, point: Number(expText) + 1 };
}

/** A value in engineering notation (plain shortest text for 0, non-finite values and values beyond T..f). */
export function eng(v: number): string {
  if (!Number.isFinite(v) || v === 0) return String(v);
  // toExponential() without an argument gives as many digits as needed to round-trip (the shortest).
  const { sign, digits, point } = decimal(v);
  const exp10 = point - 1;
  const group = Math.floor(exp10 / 3) * 3;
  const suffix = SUFFIXES.find(([e]) => e === group);
  if (suffix === undefined) return String(v);
  const intLen = point - group; // digits before the decimal point of the mantissa: 1..3
  const padded = digits.length < intLen ? digits + '0'.repeat(intLen - digits.length) : digits;
  const int = padded.slice(0, intLen);
  const frac = padded.slice(intLen);
  return `${sign}${int}${frac === '' ? '' : `.${frac}`}${suffix[1]}`;
}

/** Parses a SPICE number with an optional scale suffix (T G Meg k m u n p f, case-insensitive), exactly. */
export function parseEng(text: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(t|g|meg|k|m|u|n|p|f)?$/i.exec(text);
  if (m === null) return Number.NaN;
  if (m[2] === undefined) return Number(m[1]);
  const e = SUFFIXES.find(([, s]) => s.toLowerCase() === m[2].toLowerCase())![0];
  const [mant, exp] = m[1].toLowerCase().split('e');
  return Number(`${mant}e${(exp === undefined ? 0 : Number(exp)) + e}`);
}
