/**
 * Issue 13: the library's errors carry the hints the CLI prints — `error.hint` and
 * `(hint: …)` in the message — filled in by the client, which knows the request's SA.
 */
import { describe, expect, test } from 'vitest';
import { NetlinkKernelError } from '../../src/netlink/index.js';
import { AF_INET6, IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP } from '../../src/xfrm/index.js';
import { anySelector } from '../../src/client/state.js';
import { xfrmErrorHint } from '../../src/client/hints.js';
import { aead, fakeSad } from './fake.js';
const sa = { saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, aead };
const sel4 = () => ({ ...anySelector(2), daddr: '10.0.0.0', prefixlenD: 8 });
async function failing(p) {
    const e = await p.then(() => undefined, (x) => x);
    expect(e).toBeInstanceOf(NetlinkKernelError);
    return e;
}
function expectHint(e, hint) {
    expect(e.hint).toMatch(hint);
    expect(e.message).toBe(`${e.summary} (hint: ${e.hint})`);
}
describe('issue 13: kernel errors of the client carry hints (property and message)', () => {
    test('EPERM: CAP_NET_ADMIN in the socket\'s network namespace, on requests and on dumps', async () => {
        const { client, kernel } = fakeSad();
        kernel.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 1 }, { type: 'XFRM_MSG_GETSA', errno: 1 });
        expectHint(await failing(client.addState(sa)), /^needs CAP_NET_ADMIN in the socket's network namespace/);
        expectHint(await failing(client.getStates()), /^needs CAP_NET_ADMIN/);
        client.close();
    });
    test('EPERM names the client\'s namespace when it has one', () => {
        const e = new NetlinkKernelError({ errno: 1, seq: 1, request: 'XFRM_MSG_GETSA' });
        expect(xfrmErrorHint(e, { netns: 'blue' })).toBe('needs CAP_NET_ADMIN in network namespace "blue" (run as root)');
    });
    test('EEXIST on NEWSA and NEWPOLICY: use the update call', async () => {
        const { client } = fakeSad();
        await client.addState(sa);
        expectHint(await failing(client.addState(sa)), /exists.*use updateState/);
        await client.addPolicy({ selector: sel4(), dir: 1 });
        expectHint(await failing(client.addPolicy({ selector: sel4(), dir: 1 })), /policy .*exists: use updatePolicy/);
        client.close();
    });
    test('a missing type names the module of the SA\'s protocol and family', async () => {
        const { client, kernel } = fakeSad();
        const cases = [
            [sa, 'esp4'],
            [{ ...sa, saddr: '2001:db8::1', daddr: '2001:db8::2' }, 'esp6'],
            [{ ...sa, proto: IPPROTO_AH, aead: undefined, auth: { name: 'hmac(sha256)', key: new Uint8Array(32) } }, 'ah4'],
            [{ ...sa, family: AF_INET6, saddr: '2001:db8::1', daddr: '2001:db8::2', proto: IPPROTO_AH, aead: undefined, auth: { name: 'hmac(sha256)', key: new Uint8Array(32) } }, 'ah6'],
            [{ ...sa, spi: 0x100, proto: IPPROTO_COMP, aead: undefined, comp: 'deflate' }, 'ipcomp'],
        ];
        for (const [input, mod] of cases) {
            kernel.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 93, message: 'Requested type not found' });
            const e = await failing(client.addState(input));
            expectHint(e, new RegExp(`^missing kernel module ${mod}\\b.*try modprobe ${mod}$`));
        }
        client.close();
    });
    test('a missing algorithm names the SA\'s algorithm and its module aliases', async () => {
        const { client, kernel } = fakeSad();
        kernel.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 38, message: 'Requested AEAD algorithm not found' });
        const e = await failing(client.addState(sa));
        expectHint(e, /^missing kernel module for the AEAD algorithm rfc4106\(gcm\(aes\)\): try modprobe rfc4106 gcm aes$/);
        client.close();
    });
    test('bulk results carry the hint of their own entry', async () => {
        const { client, kernel } = fakeSad();
        kernel.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 93, message: 'Requested type not found', after: 1 });
        const r = await client.addStates([sa, { ...sa, spi: 0x2000, saddr: '2001:db8::1', daddr: '2001:db8::2' }]);
        expect(r[0].ok).toBe(true);
        const e = r[1].ok ? undefined : r[1].error;
        expect(e?.hint).toBe('missing kernel module esp6: try modprobe esp6');
        client.close();
    });
    test('ESRCH / ENOENT: no such SA / policy; an error without a known cause gets no hint', async () => {
        const { client, kernel } = fakeSad();
        expectHint(await failing(client.getState(sa)), /^no such SA$/);
        expectHint(await failing(client.getPolicy({ dir: 1, index: 9 })), /^no such policy$/);
        kernel.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 22, message: 'Invalid sequence number' });
        const e = await failing(client.addState(sa));
        expect(e.hint).toBeUndefined();
        expect(e.message).toBe(e.summary);
        client.close();
    });
    test('addHint sets the hint once', () => {
        const e = new NetlinkKernelError({ errno: 17, seq: 1, request: 'XFRM_MSG_NEWSA' });
        expect(e.message).toBe('XFRM_MSG_NEWSA: EEXIST (17)');
        e.addHint('first').addHint('second').addHint(undefined);
        expect([e.hint, e.message]).toEqual(['first', 'XFRM_MSG_NEWSA: EEXIST (17) (hint: first)']);
        expect(new NetlinkKernelError({ errno: 1, seq: 1, hint: 'h' }).message).toBe('EPERM (1) (hint: h)');
    });
});
describe('issue 13: collecting forms of the dumps', () => {
    test('getStates / getPolicies give arrays; listStates / listPolicies still stream', async () => {
        const { client } = fakeSad();
        await client.addState(sa);
        await client.addState({ ...sa, spi: 0x2000 });
        await client.addPolicy({ selector: sel4(), dir: 1 });
        const states = await client.getStates();
        expect(Array.isArray(states)).toBe(true);
        expect(states.map((s) => s.spi)).toEqual([0x1000, 0x2000]);
        const policies = await client.getPolicies();
        expect(policies.map((p) => p.dir)).toEqual([1]);
        const streamed = [];
        for await (const s of client.listStates())
            streamed.push(s.spi);
        expect(streamed).toEqual([0x1000, 0x2000]);
        // Leaving the loop early stops the dump; the socket stays usable.
        for await (const p of client.listPolicies())
            if (p)
                break;
        expect((await client.getPolicies()).length).toBe(1);
        client.close();
    });
});
