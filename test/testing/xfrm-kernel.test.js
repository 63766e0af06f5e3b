/**
 * The shipped fake XFRM kernel (`netlink-xfrm/testing`) as a product: what an IKE daemon's
 * tests rely on — the SA life cycle, dumps, GETAE/NEWAE with their quirks, the kernel's error
 * codes and the notifications — driven through XfrmClient, as a user would.
 */
import { describe, expect, test } from 'vitest';
import { NetlinkKernelError } from '../../src/netlink/index.js';
import { FakeXfrmKernel, fakeSaKey } from '../../src/testing/index.js';
import { IPPROTO_ESP, XFRM_AE_CR, XFRM_AE_CU, XFRM_AE_ETHR, XFRM_AE_RTHR, XFRM_MODE_TUNNEL, XFRM_POLICY_OUT } from '../../src/xfrm/index.js';
import { anySelector } from '../../src/client/state.js';
import { template } from '../../src/client/policy.js';
import { take } from '../client/fake.js';
const aead = { name: 'rfc4106(gcm(aes))', key: new Uint8Array(20).fill(7), icvLen: 128 };
const sa = (spi) => ({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 1, aead, replay: { oseq: 0, seq: 0, bitmap: 0 } });
const id = (spi) => ({ daddr: '192.0.2.2', spi, proto: IPPROTO_ESP });
/** The kernel's errno name of a rejected call. */
async function code(p) {
    const e = await p.then(() => undefined, (x) => x);
    if (!(e instanceof NetlinkKernelError))
        throw new Error(`expected a NetlinkKernelError, got ${String(e)}`);
    return e.code;
}
describe('FakeXfrmKernel: the SA life cycle of an IKE daemon', () => {
    test('ALLOCSPI reserves a larval SA; UPDSA fills it, NEWSA on it is EEXIST; dump, GETAE, NEWAE, DELSA, then ESRCH', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        const larval = await client.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP, min: 0x1000, max: 0x1fff });
        expect(larval.spi).toBe(0x1000); // the lowest free SPI of the range
        expect(kernel.getSa('192.0.2.2', 0x1000, IPPROTO_ESP)?.larval).toBe(true);
        expect(await code(client.setReplayState(id(0x1000), { replayThresh: 4 }))).toBe('EINVAL'); // not VALID yet
        expect((await client.getReplayState(id(0x1000))).replay).toEqual({ oseq: 0, seq: 0, bitmap: 0 }); // GETAE works on larval SAs
        expect(await code(client.addState(sa(0x1000)))).toBe('EEXIST');
        await client.updateState({ ...sa(0x1000), replay: { oseq: 41, seq: 0, bitmap: 0 } });
        expect(kernel.getSa('192.0.2.2', 0x1000, IPPROTO_ESP)?.larval).toBeUndefined();
        await client.addState(sa(0x1001));
        const dumped = [];
        for await (const s of client.listStates())
            dumped.push(s.spi);
        expect(dumped).toEqual([0x1000, 0x1001]);
        const back = await client.getState(id(0x1000));
        expect(back.replay?.oseq).toBe(41);
        expect(back.aead?.name).toBe(aead.name);
        await client.setReplayState(id(0x1000), { replay: { oseq: 100, seq: 7, bitmap: 1 } });
        expect((await client.getReplayState(id(0x1000))).replay).toEqual({ oseq: 100, seq: 7, bitmap: 1 });
        await client.deleteState(id(0x1000));
        expect(await code(client.getState(id(0x1000)))).toBe('ESRCH');
        expect(await code(client.deleteState(id(0x1000)))).toBe('ESRCH');
        expect(await code(client.getReplayState(id(0x1000)))).toBe('ESRCH');
        expect((await client.countStates()).count).toBe(1);
        expect([...kernel.sad.keys()]).toEqual([fakeSaKey('192.0.2.2', 0x1001, IPPROTO_ESP)]);
        client.close();
    });
    test('UPDSA on a valid SA takes the new lifetime but keeps keys and replay state (the kernel ignores them)', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        await client.addState({ ...sa(0x1800), replay: { oseq: 5, seq: 0, bitmap: 0 } });
        const lifetime = (await client.getState(id(0x1800))).lifetime;
        const other = { ...aead, key: new Uint8Array(20).fill(9) };
        await client.updateState({ ...sa(0x1800), aead: other, replay: { oseq: 100, seq: 0, bitmap: 0 }, lifetime: { ...lifetime, softByteLimit: 1000n } });
        const back = await client.getState(id(0x1800));
        expect([back.replay?.oseq, back.aead?.key, back.lifetime.softByteLimit]).toEqual([5, aead.key, 1000n]);
        client.close();
    });
    test('AE thresholds: defaults, XFRMA_ETIMER_THRESH stored in jiffies and read in 100 ms units (HZ configurable)', async () => {
        const kernel = new FakeXfrmKernel({ hz: 100 });
        const client = kernel.openClient();
        await client.addState(sa(0x2000));
        expect(await client.getReplayState(id(0x2000), { thresholds: true })).toMatchObject({ replayThresh: 5, etimerThresh: 2 });
        await client.setReplayState(id(0x2000), { replayThresh: 8, etimerThresh: 20 });
        expect(await client.getReplayState(id(0x2000), { thresholds: true })).toMatchObject({ replayThresh: 8, etimerThresh: 2 });
        kernel.hz = 250; // the same 20 jiffies on a HZ=250 kernel
        expect((await client.getReplayState(id(0x2000), { thresholds: true })).etimerThresh).toBe(0);
        client.close();
    });
    test('GETAE reports the SA mark after the thresholds, as the kernel orders them', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        const mark = { v: 3, m: 0xff };
        await client.addState({ ...sa(0x2050), mark });
        expect((await client.getReplayState({ ...id(0x2050), mark })).mark).toEqual(mark);
        const body = { saId: { daddr: '192.0.2.2', spi: 0x2050, family: 2, proto: IPPROTO_ESP }, saddr: '0.0.0.0', flags: XFRM_AE_RTHR | XFRM_AE_ETHR, reqid: 0 };
        const [reply] = await client.socket.request({ type: 'XFRM_MSG_GETAE', body, attrs: [{ type: 'XFRMA_MARK', value: mark }] });
        expect(reply && 'attrs' in reply ? reply.attrs.map((a) => a.type) : []).toEqual(['XFRMA_REPLAY_VAL', 'XFRMA_LTIME_VAL', 'XFRMA_REPLAY_THRESH', 'XFRMA_ETIMER_THRESH', 'XFRMA_MARK']);
        client.close();
    });
    test('NEWAE without NLM_F_REPLACE is EINVAL, as is NEWAE without any AE attribute', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient({ timeoutMs: 1000 });
        await client.addState(sa(0x2100));
        const body = { saId: { daddr: '192.0.2.2', spi: 0x2100, family: 2, proto: IPPROTO_ESP }, saddr: '0.0.0.0', flags: 0, reqid: 0 };
        const replay = [{ type: 'XFRMA_REPLAY_VAL', value: { oseq: 1, seq: 0, bitmap: 0 } }];
        expect(await code(client.socket.request({ type: 'XFRM_MSG_NEWAE', body, attrs: replay }))).toBe('EINVAL');
        expect(await code(client.socket.request({ type: 'XFRM_MSG_NEWAE', flags: 0x100, body, attrs: [] }))).toBe('EINVAL');
        await client.socket.request({ type: 'XFRM_MSG_NEWAE', flags: 0x100, body, attrs: replay });
        expect((await client.getReplayState(id(0x2100))).replay?.oseq).toBe(1);
        client.close();
    });
});
describe('FakeXfrmKernel: notifications', () => {
    test('NEWSA, NEWAE (XFRM_AE_CU), traffic past the replay threshold (XFRM_AE_CR), DELSA with the SA; each after the ACK', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        const events = client.events(['sa', 'aevents']);
        await client.addState(sa(0x3000));
        await client.setReplayState(id(0x3000), { replayThresh: 10 });
        kernel.traffic('192.0.2.2', 0x3000, IPPROTO_ESP, { out: 9 }); // below the threshold: no event
        kernel.traffic('192.0.2.2', 0x3000, IPPROTO_ESP, { out: 1 });
        await client.deleteState(id(0x3000));
        const got = await take(events, 4);
        expect(got.map((e) => e.kind)).toEqual(['newsa', 'aevent', 'aevent', 'delsa']);
        const [added, cu, cr, deleted] = got;
        expect(added.state.spi).toBe(0x3000);
        expect([cu.id.flags, cr.id.flags]).toEqual([XFRM_AE_CU, XFRM_AE_CR]);
        expect(cr.ae.replay?.oseq).toBe(10);
        expect(cr.ae.current?.packets).toBe(10n);
        expect(deleted.state?.spi).toBe(0x3000);
        // User-triggered notifications carry the request's sequence number; the traffic one does not.
        expect(added.message.seq).not.toBe(0);
        expect(cr.message.seq).toBe(0);
        events.close();
        client.close();
    });
    test('traffic on an SA added without replay state counts from zero (the kernel always keeps one) and raises the aevent', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        const events = client.events(['aevents']);
        const { replay: _none, ...bare } = sa(0x3050);
        await client.addState(bare);
        kernel.traffic('192.0.2.2', 0x3050, IPPROTO_ESP, { out: 2 }); // the default threshold: 2 packets
        const [ev] = (await take(events, 1));
        expect([ev.id.flags, ev.ae.replay?.oseq]).toEqual([XFRM_AE_CR, 2]);
        expect((await client.getReplayState(id(0x3050))).replay?.oseq).toBe(2);
        events.close();
        client.close();
    });
    test('FLUSHSA (proto 0: every SA) notifies only when it removed something', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        await client.addState(sa(0x3100));
        const events = client.events(['sa']);
        await client.flushStates(0);
        await client.flushStates(0); // nothing left: no notification
        await client.addState(sa(0x3101));
        const got = await take(events, 2);
        expect(got.map((e) => e.kind)).toEqual(['flushsa', 'newsa']);
        expect(kernel.sad.size).toBe(1);
        events.close();
        client.close();
    });
});
describe('FakeXfrmKernel: policies', () => {
    const sel = { ...anySelector(2), daddr: '198.51.100.0', prefixlenD: 24 };
    const pol = { selector: sel, dir: XFRM_POLICY_OUT, templates: [template({ proto: IPPROTO_ESP, daddr: '192.0.2.2', saddr: '192.0.2.1', mode: XFRM_MODE_TUNNEL, reqid: 1 })] };
    test('NEWPOLICY twice is EEXIST; the index carries the direction; get/delete by index; ENOENT once gone; events', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        const events = client.events(['policy']);
        await client.addPolicy(pol);
        expect(await code(client.addPolicy(pol))).toBe('EEXIST');
        await client.updatePolicy(pol); // replaces in place
        const [p] = kernel.spd;
        expect(kernel.spd).toHaveLength(1);
        expect(p.body.index & 7).toBe(XFRM_POLICY_OUT);
        expect((await client.getPolicy({ dir: XFRM_POLICY_OUT, index: p.body.index })).templates).toHaveLength(1);
        expect((await client.countPolicies()).counts?.outcnt).toBe(1);
        await client.deletePolicy({ dir: XFRM_POLICY_OUT, selector: sel });
        expect(await code(client.getPolicy({ dir: XFRM_POLICY_OUT, selector: sel }))).toBe('ENOENT');
        expect(await code(client.deletePolicy({ dir: XFRM_POLICY_OUT, index: p.body.index }))).toBe('ENOENT');
        await client.flushPolicies(); // empty: no notification
        await client.setDefaultPolicy({ out: 1 });
        expect(await client.getDefaultPolicy()).toEqual({ in: 2, fwd: 2, out: 1 });
        const got = await take(events, 4);
        expect(got.map((e) => e.kind)).toEqual(['newpolicy', 'updpolicy', 'delpolicy', 'default-policy']);
        events.close();
        client.close();
    });
});
describe('FakeXfrmKernel: test controls', () => {
    test('an injected failure hits the chosen request with its errno and extended-ACK text, then the kernel answers normally', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        kernel.inject.push({ type: 'XFRM_MSG_NEWSA', errno: 12, message: 'out of memory', after: 1 });
        await client.addState(sa(0x4000));
        const e = await client.addState(sa(0x4001)).catch((x) => x);
        expect(e).toBeInstanceOf(NetlinkKernelError);
        expect(e.code).toBe('ENOMEM');
        expect(e.message).toContain('out of memory');
        await client.addState(sa(0x4001));
        expect(kernel.sad.size).toBe(2);
        expect(kernel.seen.map((m) => m.type)).toEqual(['XFRM_MSG_NEWSA', 'XFRM_MSG_NEWSA', 'XFRM_MSG_NEWSA']);
        client.close();
    });
    test('an "older kernel" drops the attributes it does not know; a handler can wrap handle()', async () => {
        const kernel = new FakeXfrmKernel();
        const client = kernel.openClient();
        kernel.ignored.add('XFRMA_MARK');
        await client.addState({ ...sa(0x4100), mark: { v: 1, m: 0xff } });
        expect((await client.getState(id(0x4100))).mark).toBeUndefined();
        kernel.kernel.handler = (req, k) => (req.message.type === 'XFRM_MSG_GETSA' ? k.error(req, 1) : kernel.handle(req, k));
        expect(await code(client.getState(id(0x4100)))).toBe('EPERM');
        client.close();
    });
});
