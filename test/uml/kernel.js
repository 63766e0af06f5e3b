/**
 * What the guest kernel is, for guest tests whose expectations depend on the kernel ABI
 * (not a test file: the guest config only runs `*.guest.ts`). Tests branch on the running
 * kernel's version (`uname -r`, a fact about the kernel under test), never on which UML
 * build the host booted.
 */
import { release } from 'node:os';
/** `uname -r` of the guest, e.g. `6.1.176` or `6.12.117`. */
export const KERNEL_RELEASE = release();
/** `[major, minor, patch]` of {@link KERNEL_RELEASE} (missing parts are 0). */
export const KERNEL_VERSION = (() => {
    const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(KERNEL_RELEASE);
    if (!m)
        throw new Error(`cannot parse the kernel release '${KERNEL_RELEASE}'`);
    return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
})();
/** True when the guest kernel is `major.minor` or newer. */
export function kernelAtLeast(major, minor) {
    const [a, b] = KERNEL_VERSION;
    return a > major || (a === major && b >= minor);
}
/** A title suffix saying why a test is skipped on this kernel (empty when it runs). */
export function skipNote(runs, why) {
    return runs ? '' : ` [SKIPPED on ${KERNEL_RELEASE}: ${why}]`;
}
