/**
 * Smoke test of the UML harness: boot Debian's user-mode-linux 6.1 guest, run
 * Node inside it and add a real ESP SA (cbc(aes) + hmac(sha256)) in a network
 * namespace of the guest — something the host kernel here cannot do.
 */
import { describe, expect, test } from 'vitest';
import { runInUml, umlAvailable, umlUnavailableReason } from '../helpers/uml.js';
const available = umlAvailable();
if (!available) {
    const why = umlUnavailableReason() ?? 'unknown reason';
    const line = '!'.repeat(78);
    console.warn([
        '',
        line,
        '!!  UML KERNEL TESTS SKIPPED: user-mode-linux is not available on this machine',
        `!!  reason: ${why}`,
        '!!  fix:    sudo scripts/uml/ensure-uml.sh   (apt-get install user-mode-linux kmod iproute2 ...)',
        line,
        '',
    ].join('\n'));
}
const ADD_SA = [
    'ip', '-n', 'smoke', 'xfrm', 'state', 'add',
    'src', '192.0.2.1', 'dst', '192.0.2.2', 'proto', 'esp', 'spi', '0x100', 'mode', 'tunnel',
    'enc', 'cbc(aes)', '0x00112233445566778899aabbccddeeff',
    'auth-trunc', 'hmac(sha256)', '0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', '128',
];
// Runs inside the guest. Prints one JSON line; opens no files or sockets itself.
const GUEST_SCRIPT = `
const { execFileSync } = require('node:child_process');
const run = (argv) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
const add = ${JSON.stringify(ADD_SA)};
const out = { version: process.version, uname: run(['uname', '-r']).trim() };
run(['ip', 'netns', 'add', 'smoke']);
try {
  out.add = run(add);
  out.state = run(['ip', '-n', 'smoke', 'xfrm', 'state']);
  out.hostNsState = run(['ip', 'xfrm', 'state']);
} finally {
  run(['ip', 'netns', 'del', 'smoke']);
}
console.log(JSON.stringify(out));
`;
describe.sequential('UML guest smoke test', () => {
    test.skipIf(!available)('boots, runs node, adds an ESP SA in a netns inside the guest', async () => {
        const t0 = performance.now();
        const r = await runInUml({ command: [process.execPath, '-e', GUEST_SCRIPT], timeoutMs: 90_000 });
        const wallMs = performance.now() - t0;
        if (r.status !== 0) {
            console.error(`guest status ${r.status} (timedOut=${r.timedOut})\nstderr:\n${r.stderr}\nconsole:\n${r.console.slice(-4000)}`);
        }
        expect(r.timedOut).toBe(false);
        expect(r.status).toBe(0);
        const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
        expect(out.version).toBe(process.version);
        expect(out.uname).toMatch(/^6\.1\./);
        expect(out.add).toBe('');
        expect(out.state).toContain('src 192.0.2.1 dst 192.0.2.2');
        expect(out.state).toContain('proto esp spi 0x00000100');
        expect(out.state).toContain('enc cbc(aes) 0x00112233445566778899aabbccddeeff');
        expect(out.state).toContain('auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128');
        // the SA lives in the guest's netns only
        expect(out.hostNsState).toBe('');
        const inGuest = r.commandStartUptime !== undefined && r.commandEndUptime !== undefined
            ? `, guest uptime at command start ${r.commandStartUptime.toFixed(2)} s, command ${(r.commandEndUptime - r.commandStartUptime).toFixed(2)} s`
            : '';
        console.log(`UML smoke: boot-to-result ${Math.round(wallMs)} ms wall (run.sh: ${r.elapsedMs} ms${inGuest}); guest kernel ${out.uname}, node ${out.version}`);
    }, 120_000);
});
