/**
 * Error lines and exit codes for every kind of error, the demo's "no ESP here" detection,
 * and the TTY progress line.
 */
import { describe, expect, test } from 'vitest';
import { XfrmUnsupportedError } from '../../src/client/client.js';
import { XfrmLarvalStateError } from '../../src/client/ae.js';
import { NetlinkDecodeError, NetlinkEncodeError, NetlinkKernelError, NetlinkProtocolError, NetlinkSocketError, } from '../../src/netlink/errors.js';
import { errorLine, exitCodeFor, hintFor, isMissingModule } from '../../src/cli/errors.js';
import { CliError, EXIT_DATA, EXIT_IO, EXIT_KERNEL, EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { isNoEsp } from '../../src/cli/demo.js';
import { Progress } from '../../src/cli/progress.js';
import { fakeXfrm } from './fake-xfrm.js';
const kerr = (errno, extackMessage) => new NetlinkKernelError({ errno, seq: 1, request: 'XFRM_MSG_NEWSA', ...(extackMessage !== undefined ? { extackMessage } : {}) });
describe('error lines and exit codes', () => {
    test('kernel errors: exit 1, text + errno + hint', () => {
        expect(errorLine(kerr(1), { command: 'state add' })).toBe("netlink-xfrm: state add: XFRM_MSG_NEWSA: EPERM (1) (hint: needs CAP_NET_ADMIN in the socket's network namespace (run as root))\n");
        expect(errorLine(kerr(17, 'SA exists'), { command: 'state add', larval: true })).toBe('netlink-xfrm: state add: XFRM_MSG_NEWSA: EEXIST (17): SA exists (hint: SPI reserved by allocspi: use `state update`)\n');
        expect(hintFor(kerr(3), { command: 'state get' })).toBe('no such SA');
        expect(hintFor(kerr(2), { command: 'policy delete' })).toBe('no such policy');
        expect(hintFor(kerr(22, 'Invalid sequence number'))).toBeUndefined();
        expect(hintFor(kerr(22, 'SA must be in VALID state'))).toMatch(/larval.*`state update` first/);
        expect(hintFor(new NetlinkSocketError('open(netns)', 2, 'no such network namespace'))).toBe('see `ip netns list`');
        expect(hintFor(new NetlinkSocketError('socket', 1, 'CAP_NET_ADMIN is needed'))).toBe('run as root');
        expect(hintFor(new NetlinkSocketError('bind', 1))).toBe('needs CAP_NET_ADMIN (run as root)');
        expect(hintFor(new NetlinkSocketError('setsockopt', 1, 'CAP_NET_ADMIN is needed (run as root or grant the capability)'))).toBeUndefined();
        expect(exitCodeFor(kerr(22))).toBe(EXIT_KERNEL);
        expect(exitCodeFor(new XfrmUnsupportedError(['dir', 'pcpu'], 'XFRM_MSG_NEWSA'))).toBe(EXIT_KERNEL);
        expect(hintFor(new XfrmUnsupportedError(['dir', 'pcpu'], 'XFRM_MSG_NEWSA'))).toBe('this kernel ignores dir, pcpu (added in a newer kernel): leave them out or upgrade');
    });
    test('missing module detection: EPROTONOSUPPORT, ENOSYS, the extack texts', () => {
        expect(isMissingModule(kerr(93))).toBe(true);
        expect(isMissingModule(kerr(38))).toBe(true);
        expect(isMissingModule(kerr(22, 'Requested type not found'))).toBe(true);
        expect(isMissingModule(kerr(22, 'Requested CRYPT algorithm not found'))).toBe(true);
        expect(isMissingModule(kerr(22))).toBe(false);
        expect(isNoEsp(kerr(93, 'Requested type not found'))).toBe(true);
        expect(isNoEsp(kerr(38, 'Requested AEAD algorithm not found'))).toBe(true);
        expect(isNoEsp(kerr(17))).toBe(false);
        expect(isNoEsp(new Error('x'))).toBe(false);
    });
    test('other classes: data 3, I/O 4, usage 2, internal errors with a stack', () => {
        expect(exitCodeFor(new NetlinkDecodeError('xfrm_usersa_info', 0, 'truncated'))).toBe(EXIT_DATA);
        expect(exitCodeFor(new NetlinkEncodeError('xfrm_algo.alg_name', 'too long'))).toBe(EXIT_DATA);
        expect(exitCodeFor(new NetlinkSocketError('socket', 93))).toBe(EXIT_IO);
        expect(hintFor(new NetlinkSocketError('socket', 93))).toMatch(/CONFIG_XFRM_USER/);
        expect(exitCodeFor(new NetlinkProtocolError('timeout', 'XFRM_MSG_GETSA: no reply in 30000 ms'))).toBe(EXIT_IO);
        expect(exitCodeFor(new CliError('x', EXIT_USAGE))).toBe(EXIT_USAGE);
        expect(errorLine(new CliError('unknown command x', EXIT_USAGE))).toBe('netlink-xfrm: unknown command x\n');
        expect(exitCodeFor(new Error('bug'))).toBe(EXIT_IO);
        expect(errorLine(new Error('bug'))).toMatch(/^netlink-xfrm: internal error: Error: bug\n {4}at /);
    });
    test('a timeout while talking to the kernel exits 4 with the command name', async () => {
        const f = fakeXfrm();
        f.kernel.handler = () => undefined; // the kernel never answers
        const { XfrmClient } = await import('../../src/client/client.js');
        const r = await f.run(['state', 'count'], { openClient: () => XfrmClient.open({ transport: f.kernel.socket(), timeoutMs: 20 }) });
        expect(r.code).toBe(4);
        expect(r.stderr).toBe('netlink-xfrm: state count: XFRM_MSG_GETSADINFO: no answer from the kernel within 20 ms\n');
    });
});
describe('progress line', () => {
    test('drawn on a TTY only, ends with the count, erased at the end', () => {
        let out = '';
        const p = new Progress((s) => void (out += s), true, 'adding SAs', 3);
        p.tick();
        p.tick(2);
        p.end();
        expect(out).toContain('\radding SAs: 1/3 (33%)\x1b[K');
        expect(out).toContain('\radding SAs: 3/3 (100%)\x1b[K');
        expect(out.endsWith('\r\x1b[K')).toBe(true);
        let quiet = '';
        const q = new Progress((s) => void (quiet += s), false, 'x', 3);
        q.tick(3);
        q.end();
        expect(quiet).toBe('');
    });
    test('bulk add shows it on stderr when stderr is a TTY', async () => {
        const f = fakeXfrm();
        const lines = [1, 2, 3].map((spi) => JSON.stringify({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi, proto: 50 })).join('\n');
        const r = await f.run(['state', 'add', '--batch', '-'], { stderrIsTTY: true, readInput: () => Buffer.from(lines) });
        expect(r.code).toBe(0);
        expect(r.stdout).toBe('added 3 of 3 SAs\n');
        expect(r.stderr).toContain('\radded SAs: 3/3 (100%)');
    });
});
describe('issue 13: the CLI prints the library\'s hint (one place), once', () => {
    test('a hint the library put on the error is the one printed, not repeated', () => {
        const e = new NetlinkKernelError({ errno: 93, seq: 1, request: 'XFRM_MSG_NEWSA', extackMessage: 'Requested type not found' });
        e.addHint('missing kernel module esp6: try modprobe esp6');
        expect(errorLine(e, { command: 'state add' })).toBe('netlink-xfrm: state add: XFRM_MSG_NEWSA: EPROTONOSUPPORT (93): Requested type not found (hint: missing kernel module esp6: try modprobe esp6)\n');
    });
    test('the CLI\'s own words win only where it knows the command to type', () => {
        const e = kerr(17, 'SA exists').addHint('an SA with this daddr/spi/proto/mark exists (an SPI reserved by allocSpi too): use updateState');
        expect(errorLine(e, { command: 'state add', larval: true })).toBe('netlink-xfrm: state add: XFRM_MSG_NEWSA: EEXIST (17): SA exists (hint: SPI reserved by allocspi: use `state update`)\n');
    });
    test('the larval replay error is a kernel-state error: exit 1, its message says it all', () => {
        const e = new XfrmLarvalStateError('XFRM_MSG_NEWAE', 0x1234);
        expect(exitCodeFor(e)).toBe(EXIT_KERNEL);
        expect(errorLine(e, { command: 'replay set' })).toMatch(/^netlink-xfrm: replay set: XFRM_MSG_NEWAE: the SA with spi 0x00001234 is larval .*must be VALID first — install it with updateState \/ `state update`\n$/);
    });
});
