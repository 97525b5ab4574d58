import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e/ builds the whole ShopSmart project (every layer) on generated warehouses.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
