import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    env: { ORDO_LOG: 'silent' },
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Screens wait on a service worker and its threads; a busy CI machine may take seconds.
    expect: { poll: { timeout: 10_000 } },
  },
});
