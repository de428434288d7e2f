import { defineConfig } from 'vitest/config';

// Three projects: `model` runs in a few minutes (the model, the CLI, the docs, the generators, the proofs'
// unit parts, the harness's unit tests); `tlc` holds the tests that start TLC (`*.tlc.test.ts`); `vm` the
// tests that build a kernel (cached) and boot it under QEMU (`*.vm.test.ts`). `npm test` runs all three;
// `npx vitest run --project model` runs the first alone.
const TLC_TESTS = 'test/**/*.tlc.test.ts';
const VM_TESTS = 'test/**/*.vm.test.ts';

export default defineConfig({
  test: {
    // TLC and the probe start JVMs and real mmaps; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'model', include: ['test/**/*.test.ts'], exclude: [TLC_TESTS, VM_TESTS] } },
      { extends: true, test: { name: 'tlc', include: [TLC_TESTS] } },
      // One file at a time: each boots a guest, and two TCG guests on two cores only slow each other down.
      { extends: true, test: { name: 'vm', include: [VM_TESTS], fileParallelism: false } },
    ],
  },
});
