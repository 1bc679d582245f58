import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: run files in parallel on both, tests within a file sequentially.
    pool: 'forks',
    maxWorkers: 2,
  },
});
