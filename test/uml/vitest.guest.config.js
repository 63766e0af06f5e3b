/**
 * Vitest configuration used INSIDE the user-mode-linux guest (see README.md in this folder).
 * The host's `vitest.config.ts` includes only `test/**\/*.test.ts`, so these `*.guest.ts`
 * files never run on the host directly: test/kernel/esp.test.ts boots the guest and runs
 * them with this config.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export default defineConfig({
    root,
    // The guest writes to the host's file system: keep Vite's cache in the run's own TMPDIR.
    cacheDir: join(process.env.TMPDIR ?? '/tmp', 'nlx-guest-vite-cache'),
    test: {
        include: ['test/uml/**/*.guest.ts'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
        // One worker process for every file: each process start costs ~1 s under UML, the
        // files share the kernel (network namespaces) anyway, and the native shim is a
        // per-process addon.
        pool: 'forks',
        maxWorkers: 1,
        fileParallelism: false,
        isolate: false,
        sequence: { concurrent: false },
    },
});
