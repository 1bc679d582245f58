// Entry of the training worker when ohmnet runs from its TypeScript sources (tests, `tsx` scripts): registers tsx's
// loader in the worker thread, then loads the worker module. The built package uses worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
