// The part of jsfive's API (0.4.2, a pure-JS HDF5 reader; it ships no types) that src/import/keras.ts uses.
declare module 'jsfive' {
  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset;
  }
  export class Dataset {
    readonly shape: number[];
    readonly dtype: unknown;
    readonly value: ArrayLike<number>;
    readonly attrs: Record<string, unknown>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
}
