import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{generators,testbenches,ip,flows,bench}/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Simulator runs are CPU-bound; two workers match the two-core machines CI runs on.
    maxWorkers: 2,
  },
});
