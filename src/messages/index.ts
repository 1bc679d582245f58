// Every user-facing message, one file per area, so wording stays consistent and tests can match it. Each message
// says what is wrong and what to do about it, on one line. Library messages never name a command-line flag: an
// option is named through the Namer a message receives (see ../errors.ts), which the API renders as the option's
// name (fanIn), the CLI as its flag (--fan-in) and the config loader as its key.

import { FILE_MESSAGES } from './files.js';
import { IMPORT_MESSAGES } from './import.js';
import { OPTION_MESSAGES } from './options.js';
import { SAMPLE_MESSAGES } from './samples.js';

export { SM, formatSeconds, type EngineLabel } from './spice.js';
export { EVALUATE_MESSAGES } from './evaluate.js';
export { REALIZE_MESSAGES } from './realize.js';
export { TNET_MESSAGES } from './tnet.js';
export { TRANSFORM_MESSAGES } from './transform.js';
export { FILE_MESSAGES, IMPORT_MESSAGES, OPTION_MESSAGES, SAMPLE_MESSAGES };
export { OUTPUT_MESSAGES, fsReason } from './output.js';
export { API_MESSAGES } from './api.js';
export { ENERGY_MESSAGES } from './energy.js';
export { TRAIN_MESSAGES } from './train.js';

/** The messages of the import, sample and file areas under one name (most call sites use several areas). */
export const M = { ...FILE_MESSAGES, ...IMPORT_MESSAGES, ...SAMPLE_MESSAGES, ...OPTION_MESSAGES } as const;
export { MASK_MESSAGES } from './masks.js';
export { MEMRISTOR_MESSAGES } from './memristors.js';

export { LIBRARY_MESSAGES } from './library.js';
