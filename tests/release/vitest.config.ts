import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file clones and builds the repository: one at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 600_000,
  },
});
