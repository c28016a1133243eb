import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/temporal/**', 'test/faults/temporal/**'] },
      },
      {
        // Against one real Temporal dev server for the whole run (see test/temporal/global-setup.ts);
        // only this project pays for starting it, or for building the CLI the first time.
        extends: true,
        test: {
          name: 'temporal',
          // Expected activity failures would each print the SDK's warning with a stack.
          env: { REVO_TEMPORAL_LOG_LEVEL: 'ERROR' },
          include: ['test/temporal/**/*.test.ts', 'test/faults/temporal/**/*.test.ts'],
          globalSetup: ['test/temporal/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // After the unit tests, not beside them: workers and the server share two cores.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
