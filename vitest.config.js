import { defineConfig } from 'vitest/config';
export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        // Kernel suites create network namespaces and boot UML guests: keep files sequential
        // where they touch the kernel (they opt in with describe.sequential) but let pure
        // codec files run in parallel.
        pool: 'forks',
    },
});
