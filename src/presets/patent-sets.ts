// The resistor sets the patent publishes (seed 000, "Example Process for Choosing Resistor Set" and "Example
// {R1, . . . , Rn} Search Algorithm"), with the parameters it states for them. Used by the tests that compare
// ohmnet's optimal-set search with the patent's result, and available as presets.

/**
 * 20 nominals in MΩ, ascending, from "Example {R1, . . . , Rn} Search Algorithm" (paragraphs 192-193): obtained for
 * the weight range [-5, 5], N = 20, r_err = 0.1 %, rmin = 100 kΩ, rmax = 5 MΩ, with R- = R+ = 1.763 MΩ. The same
 * list appears earlier, in "Example Process for Choosing Resistor Set" (paragraph 179), as obtained "for
 * abovementioned parameters", i.e. those of the 12-value set (wlim 2, rmin 0.1, rmax 10 relative, r_err 0.001) and
 * with relative values: the patent contradicts itself; we take the later, more specific parameters (PATENT_SET_20_PARAMS).
 * By this file's value function, 1.763 MΩ is indeed the best element of the set as R_f for wlim 5 (value 5.08e-3),
 * but the set leaves a hole in the weights between 3.32 and 4.11 (no R- between 0.689 and 0.996 MΩ to pair with
 * R+ = 0.3 MΩ); under wlim 2 it scores much better (2.6e-4 with R_f = 1.186, 3.5e-4 with 1.763), which suggests it
 * was found for the earlier parameters.
 */
export const PATENT_SET_20: readonly number[] = [0.300, 0.461, 0.519, 0.566, 0.648, 0.655, 0.689, 0.996, 1.006, 1.048, 1.186, 1.222, 1.261, 1.435, 1.488, 1.524, 1.584, 1.763, 1.896, 2.02];

/** PATENT_SET_20 in ohms (exact: every value is a whole number of kΩ). */
export const PATENT_SET_20_OHM: readonly number[] = PATENT_SET_20.map((m) => Math.round(m * 1e6));

/** Parameters of PATENT_SET_20 ("Example {R1, . . . , Rn} Search Algorithm"). */
export const PATENT_SET_20_PARAMS = { rFeedbackOhm: 1.763e6, weightLimit: 5, toleranceRel: 0.001, rMinOhm: 100e3, rMaxOhm: 5e6 } as const;

/**
 * 12 nominals in relative units, in the order published in "Example Process for Choosing Resistor Set" (paragraph
 * 178): "a locally optimal resistor set of 12 resistors for the weight range [-2; 2] with rmin=0.1, rmax=10 and
 * r_err=0.001". R_f is not stated. Unsorted as published; resistorSetValue accepts any order.
 */
export const PATENT_SET_12: readonly number[] = [0.17, 1.036, 0.238, 0.21, 0.362, 1.473, 0.858, 0.69, 5.138, 1.215, 2.083, 0.275];

/** Parameters of PATENT_SET_12 (relative units; R_f not published). */
export const PATENT_SET_12_PARAMS = { weightLimit: 2, toleranceRel: 0.001, rMin: 0.1, rMax: 10 } as const;
