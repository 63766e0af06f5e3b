/**
 * Vitest configuration of the live-HA crash suite, run INSIDE its own user-mode-linux guest by
 * test/kernel/ha-live.test.ts (see README.md in this folder). Same settings as the main guest
 * suite (vitest.guest.config.ts), other files: `test/uml/*.halive.ts`, which neither the host
 * config nor the main guest run includes, so this suite has its own boot and time limit.
 */
import { defineConfig } from 'vitest/config';
import guest from './vitest.guest.config.js';
export default defineConfig({
    ...guest,
    test: {
        ...guest.test,
        include: ['test/uml/**/*.halive.ts'],
        testTimeout: 90_000,
    },
});
