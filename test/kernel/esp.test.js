/**
 * The real-kernel ESP suite, seen from the host.
 *
 * The host kernel cannot install real SAs, so this file boots a user-mode-linux guest ONCE PER
 * AVAILABLE KERNEL (scripts/uml/run.sh through test/helpers/uml.ts `umlKernels()`: Debian's
 * packaged 6.1 when installed, the monolithic 6.12 from scripts/uml/build-uml-6.12.sh when
 * cached), runs the guest test files `test/uml/*.guest.ts` there with vitest (config
 * `test/uml/vitest.guest.config.ts`), and turns each guest's JSON report into one host test per
 * guest test, named `UML <release>: ...`, each failing with the guest's own failure message.
 * The UML runs happen one after the other while this file is collected (top-level await).
 *
 * - UML 6.1 not installed: a loud banner (the 6.12 suite still runs if that kernel is cached).
 * - 6.12 not cached: one line saying so and how to build it; not a failure.
 * - A guest that does not boot, crashes, times out, or reports nothing: the first test of that
 *   kernel FAILS with the launcher's output and the guest console.
 * - `NLX_UML_KERNELS=6.12` (comma-separated series) runs only those kernels.
 *
 * The runner and the report mapping live in test/helpers/uml-suite.ts (shared with the live-HA
 * crash suite, test/kernel/ha-live.test.ts).
 *
 * Run alone: `npx vitest run test/kernel/esp.test.ts` (as root). See test/uml/README.md.
 */
import { join } from 'node:path';
import { hostGuestSuite } from '../helpers/uml-suite.js';
import { REPO_ROOT } from '../helpers/uml.js';
await hostGuestSuite({
    title: 'real-kernel ESP suite',
    config: 'test/uml/vitest.guest.config.ts',
    dir: join(REPO_ROOT, 'test', 'uml'),
    suffix: '.guest.ts',
    // about 110 s on a quiet host; 266 s was measured with the live-HA guest and other work
    // competing for the 2 vCPUs: the limit only bounds a hung guest.
    timeoutMs: 450_000,
}, 'nothing about ESP traffic, replay restore or kernel events was verified');
