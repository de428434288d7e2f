import { defineConfig } from 'vitest/config';

// Two projects: `model` runs in seconds to a minute (the model, the CLI, the docs, the generators, the
// proofs' unit parts); `tlc` holds the tests that start TLC (`*.tlc.test.ts`). `npm test` runs both;
// `npx vitest run --project model` runs the first alone.
const TLC_TESTS = 'test/**/*.tlc.test.ts';

export default defineConfig({
  test: {
    // TLC and the probe start JVMs and real mmaps; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'model', include: ['test/**/*.test.ts'], exclude: [TLC_TESTS] } },
      { extends: true, test: { name: 'tlc', include: [TLC_TESTS] } },
    ],
  },
});
