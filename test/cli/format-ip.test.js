/**
 * The CLI's human text reads like `ip -s xfrm state` / `ip -s xfrm policy` (issue 13): one
 * test per difference found against iproute2 6.1 on a real strongSwan charon's SAs and
 * policies (test/uml/ip-output.guest.ts compares the whole output line by line there). The
 * expected lines are ip's own output for the same SA or policy, trailing blanks removed.
 */
import { describe, expect, test } from 'vitest';
import { completePolicy, policyFromMessage, policyToAttrs, policyToInfo, template } from '../../src/client/policy.js';
import { completeState, stateFromMessage, stateToAttrs, stateToUsersaInfo } from '../../src/client/state.js';
import { AF_INET, decodeXfrmMessages, encodeXfrmMessages, IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP, UDP_ENCAP_ESPINUDP, XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL, XFRM_POLICY_FWD, XFRM_POLICY_IN, XFRM_POLICY_MAX, XFRM_POLICY_OUT, XFRM_SA_XFLAG_DONT_ENCAP_DSCP, XFRM_STATE_AF_UNSPEC, XFRM_STATE_ALIGN4, XFRM_STATE_DECAP_DSCP, XFRM_STATE_ESN, XFRM_STATE_ICMP, XFRM_STATE_NOECN, XFRM_STATE_NOPMTUDISC, XFRM_STATE_WILDRECV, } from '../../src/xfrm/index.js';
import { formatEvent, formatPolicy, formatState, selectorText } from '../../src/cli/format.js';
const KEY20 = Uint8Array.from(Buffer.from('cc1150f73237ed19f78303598c09f09ec2c983b4', 'hex'));
const KEY16 = KEY20.subarray(0, 16);
function roundTrip(m) {
    return decodeXfrmMessages(encodeXfrmMessages([{ ...m, flags: 0, seq: 1, pid: 0 }]))[0];
}
/** An SA as the kernel would report it: encoded to NEWSA bytes and decoded back. */
function decodedState(input) {
    const s = completeState(input);
    const m = roundTrip({ type: 'XFRM_MSG_NEWSA', body: stateToUsersaInfo(s), attrs: stateToAttrs(s, true) });
    if (m.type !== 'XFRM_MSG_NEWSA')
        throw new Error('not NEWSA');
    return stateFromMessage(m.body, m.attrs);
}
function decodedPolicy(p) {
    const m = roundTrip({ type: 'XFRM_MSG_NEWPOLICY', body: policyToInfo(p), attrs: policyToAttrs(p) });
    if (m.type !== 'XFRM_MSG_NEWPOLICY')
        throw new Error('not NEWPOLICY');
    return policyFromMessage(m.body, m.attrs);
}
const ANY4 = { daddr: '0.0.0.0', saddr: '0.0.0.0', dport: 0, dportMask: 0, sport: 0, sportMask: 0, family: AF_INET, prefixlenD: 0, prefixlenS: 0, proto: 0, ifindex: 0, user: 0 };
const ZERO_SEL = { ...ANY4, family: 0 };
const ZERO_LIFETIME = {
    softByteLimit: 0n, hardByteLimit: 0n, softPacketLimit: 0n, hardPacketLimit: 0n,
    softAddExpiresSeconds: 0n, hardAddExpiresSeconds: 0n, softUseExpiresSeconds: 0n, hardUseExpiresSeconds: 0n,
};
/** charon's inbound ESN SA after 40 pings (ip 6.1's output of that SA, keys shown). */
const CHARON_ESN_IN = {
    saddr: '192.0.2.2',
    daddr: '192.0.2.1',
    spi: 0xc92f13df,
    proto: IPPROTO_ESP,
    mode: XFRM_MODE_TUNNEL,
    reqid: 2,
    flags: XFRM_STATE_AF_UNSPEC | XFRM_STATE_ESN,
    selector: ZERO_SEL,
    aead: { name: 'rfc4106(gcm(aes))', key: KEY20, icvLen: 128 },
    encap: { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4500, encapOa: '0.0.0.0' },
    replayEsn: { bmpLen: 4, replayWindow: 128, seq: 0x28, seqHi: 0, oseq: 0, oseqHi: 0, bmp: [0xffffffff, 0xff, 0, 0] },
    lifetime: { ...ZERO_LIFETIME, softByteLimit: 0xffffffffffffffffn, hardByteLimit: 0xffffffffffffffffn, softPacketLimit: 0xffffffffffffffffn, hardPacketLimit: 0xffffffffffffffffn, softAddExpiresSeconds: 3247n, hardAddExpiresSeconds: 3960n },
};
describe('SA text as ip -s xfrm state prints it', () => {
    test("charon's ESN SA: the whole block is ip's (flags, key length, no sel line for its all-zero selector, bitmap last word first)", () => {
        const text = formatState(decodedState(CHARON_ESN_IN), { showKeys: true });
        expect(text.split('\n').slice(0, 9)).toEqual([
            'src 192.0.2.2 dst 192.0.2.1',
            '\tproto esp spi 0xc92f13df(3375305695) reqid 2(0x00000002) mode tunnel',
            '\treplay-window 0 seq 0x00000000 flag af-unspec esn (0x10100000)',
            '\taead rfc4106(gcm(aes)) 0xcc1150f73237ed19f78303598c09f09ec2c983b4 (160 bits) 128',
            '\tencap type espinudp sport 4500 dport 4500 addr 0.0.0.0',
            '\tanti-replay esn context:',
            '\t seq-hi 0x0, seq 0x28, oseq-hi 0x0, oseq 0x0',
            '\t replay_window 128, bitmap-length 4',
            '\t 00000000 00000000 000000ff ffffffff',
        ]);
        expect(text).toContain('\t 00000000 00000000 000000ff ffffffff\n\tlifetime config:\n');
    });
    test('ESN bitmap words print from bmp[bmp_len-1] down to bmp[0], eight to a line', () => {
        const bmp = Array.from({ length: 10 }, (_, i) => i + 1);
        const text = formatState(decodedState({ ...CHARON_ESN_IN, replayEsn: { ...CHARON_ESN_IN.replayEsn, bmpLen: 10, replayWindow: 320, bmp } }));
        expect(text).toContain('\t replay_window 320, bitmap-length 10\n\t 0000000a 00000009 00000008 00000007 00000006 00000005 00000004 00000003\n\t 00000002 00000001\n');
    });
    test('flag esn shows ip\'s bits (0x10000000), not the flag value 0x00000080', () => {
        const text = formatState(decodedState({ ...CHARON_ESN_IN, flags: XFRM_STATE_ESN }));
        expect(text).toContain('\treplay-window 0 seq 0x00000000 flag esn (0x10000000)\n');
        expect(text).not.toContain('0x00000080');
    });
    test('no flag set: seq and an empty flag word still print, as with ip -s', () => {
        const text = formatState(decodedState({ ...CHARON_ESN_IN, flags: 0, replayEsn: undefined, replayWindow: 32 }));
        expect(text).toContain('\treplay-window 32 seq 0x00000000 flag  (0x00000000)\n');
    });
    test('every state flag with an extra flag: one flags line, mark and output-mark on one line, ip\'s order of algorithms, encap, replay, if_id, tfcpad, sel with ports and uid', () => {
        const flags = XFRM_STATE_NOECN | XFRM_STATE_DECAP_DSCP | XFRM_STATE_NOPMTUDISC | XFRM_STATE_WILDRECV | XFRM_STATE_ICMP | XFRM_STATE_AF_UNSPEC | XFRM_STATE_ALIGN4;
        const s = decodedState({
            saddr: '10.0.0.1', daddr: '10.0.0.5', spi: 0x103, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 4, replayWindow: 16, flags,
            extraFlags: XFRM_SA_XFLAG_DONT_ENCAP_DSCP,
            aead: { name: 'rfc4106(gcm(aes))', key: KEY20, icvLen: 64 },
            encap: { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4501, encapOa: '0.0.0.0' },
            mark: { v: 7, m: 0xff }, outputMark: { value: 0x10, mask: 0xf0 }, ifId: 9, tfcpad: 100,
            replay: { oseq: 0, seq: 0, bitmap: 0 },
            selector: { ...ANY4, saddr: '10.1.0.0', prefixlenS: 16, daddr: '10.2.0.0', prefixlenD: 16, proto: 6, sport: 80, sportMask: 0xffff, dport: 443, dportMask: 0xffff },
        });
        // ip writes "align4extra_flag" (no space); the space is the one difference kept
        expect(formatState(s).split('\n').slice(2, 11)).toEqual([
            '\treplay-window 16 seq 0x00000000 flag noecn decap-dscp nopmtudisc wildrecv icmp af-unspec align4 extra_flag dont-encap-dscp (0x01111111)',
            '\tmark 0x7/0xff output-mark 0x10/0xf0',
            '\taead rfc4106(gcm(aes)) <redacted> (160 bits) 64',
            '\tencap type espinudp sport 4500 dport 4501 addr 0.0.0.0',
            '\tanti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000',
            '\tif_id 0x9',
            '\ttfcpad 100',
            '\tsel src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dport 443 uid 0',
            '\tlifetime config:',
        ]);
    });
    test('an output mark without a mark prints on its own line', () => {
        const text = formatState(decodedState({ ...CHARON_ESN_IN, outputMark: { value: 1, mask: 0xffffffff } }));
        expect(text).toContain('\treplay-window 0 seq 0x00000000 flag af-unspec esn (0x10100000)\n\toutput-mark 0x1/0xffffffff\n\taead ');
    });
    test('enc and auth-trunc print auth-trunc first with key lengths; the security context prints last, after the stats, cut at its NUL', () => {
        const s = decodedState({
            saddr: '10.0.0.1', daddr: '10.0.0.8', spi: 0x107, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 8, replayWindow: 32,
            crypt: { name: 'cbc(aes)', key: KEY16 },
            auth: { name: 'hmac(sha1)', key: KEY20, truncLen: 96 },
            secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 0, ctx: 'system_u:object_r:x:s0\0' },
        });
        const text = formatState(s, { showKeys: true });
        expect(text).toContain(`\tauth-trunc hmac(sha1) 0x${Buffer.from(KEY20).toString('hex')} (160 bits) 96\n\tenc cbc(aes) 0x${Buffer.from(KEY16).toString('hex')} (128 bits)\n`);
        expect(text.endsWith('\tstats:\n\t  replay-window 0 replay 0 failed 0\n\tsecurity context system_u:object_r:x:s0\n')).toBe(true);
        expect(text).not.toContain('\0');
    });
});
describe('policy text as ip -s xfrm policy prints it', () => {
    test("charon's socket bypass policy: socket in, action, share, flag bits, its zero lifetime like ip", () => {
        const base = completePolicy({ selector: ANY4, dir: XFRM_POLICY_OUT, index: 59, lifetime: ZERO_LIFETIME, templates: [] });
        const p = { ...base, dir: XFRM_POLICY_MAX + XFRM_POLICY_IN, current: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n } };
        expect(formatPolicy(p)).toBe([
            'src 0.0.0.0/0 dst 0.0.0.0/0 uid 0',
            '\tsocket in action allow index 59 priority 0 ptype main share any flag  (0x00000000)',
            '\tlifetime config:',
            '\t  limit: soft 0(bytes), hard 0(bytes)',
            '\t  limit: soft 0(packets), hard 0(packets)',
            '\t  expire add: soft 0(sec), hard 0(sec)',
            '\t  expire use: soft 0(sec), hard 0(sec)',
            '\tlifetime current:',
            '\t  0(bytes), 0(packets)',
            '\t  add - use -',
            '',
        ].join('\n'));
        expect(formatPolicy({ ...p, dir: XFRM_POLICY_MAX + XFRM_POLICY_OUT })).toContain('\tsocket out action allow index 59');
    });
    test('a socket policy in an event line is "socket out", not "dir 4"', () => {
        const line = formatEvent({ kind: 'delpolicy', id: { sel: ANY4, dir: XFRM_POLICY_MAX + XFRM_POLICY_OUT, index: 4 } });
        expect(line).toBe('delpolicy src 0.0.0.0/0 dst 0.0.0.0/0 socket out index 4');
    });
    test('flags, mark, templates (spi, reqid, level, share, masks) and if_id in ip\'s places', () => {
        const p = decodedPolicy(completePolicy({
            selector: { ...ANY4, saddr: '10.2.0.0', prefixlenS: 16, daddr: '10.1.0.0', prefixlenD: 16 },
            dir: XFRM_POLICY_FWD, priority: 100, index: 18, flags: 3, mark: { v: 5, m: 0xf }, ifId: 3,
            templates: [
                template({ proto: IPPROTO_ESP, saddr: '10.0.0.2', daddr: '10.0.0.1', spi: 0x100, reqid: 1, mode: XFRM_MODE_TUNNEL }),
                template({ proto: IPPROTO_COMP, reqid: 6, mode: XFRM_MODE_TUNNEL, optional: true }),
            ],
        }));
        const text = formatPolicy(p);
        expect(text.split('\n').slice(0, 2)).toEqual(['src 10.2.0.0/16 dst 10.1.0.0/16 uid 0', '\tdir fwd action allow index 18 priority 100 ptype main share any flag localok icmp (0x00000011)']);
        expect(text).toContain([
            '\tmark 0x5/0xf',
            '\ttmpl src 10.0.0.2 dst 10.0.0.1',
            '\t\tproto esp spi 0x00000100(256) reqid 1(0x00000001) mode tunnel',
            '\t\tlevel required share any',
            '\t\tenc-mask ffffffff auth-mask ffffffff comp-mask ffffffff',
            '\ttmpl src 0.0.0.0 dst 0.0.0.0',
            '\t\tproto comp spi 0x00000000(0) reqid 6(0x00000006) mode tunnel',
            '\t\tlevel use share any',
            '\t\tenc-mask ffffffff auth-mask ffffffff comp-mask ffffffff',
            '\tif_id 0x3',
            '',
        ].join('\n'));
        expect(text.indexOf('\tlifetime config:')).toBeLessThan(text.indexOf('\tmark 0x5/0xf'));
    });
    test('action block, a security context on the line after the selector', () => {
        const p = decodedPolicy(completePolicy({
            selector: { ...ANY4, saddr: '10.5.0.0', prefixlenS: 16, daddr: '10.6.0.0', prefixlenD: 16 },
            dir: XFRM_POLICY_OUT, action: 1, index: 41,
            secCtx: { exttype: 8, ctxAlg: 1, ctxDoi: 0, ctx: 'system_u:object_r:x:s0\0' },
            templates: [template({ proto: IPPROTO_AH, mode: XFRM_MODE_TRANSPORT })],
        }));
        expect(formatPolicy(p).split('\n').slice(0, 3)).toEqual([
            'src 10.5.0.0/16 dst 10.6.0.0/16 uid 0',
            '\tsecurity context system_u:object_r:x:s0',
            '\tdir out action block index 41 priority 0 ptype main share any flag  (0x00000000)',
        ]);
    });
});
describe('selector words as ip prints them', () => {
    test('ports print whenever their mask is set, GRE ports as one key, Mobility Header sport as type', () => {
        expect(selectorText({ ...ANY4, sport: 500, sportMask: 0xffff })).toBe('src 0.0.0.0/0 dst 0.0.0.0/0 sport 500');
        expect(selectorText({ ...ANY4, proto: 47, sport: 1, sportMask: 0xffff, dport: 2, dportMask: 0xffff })).toBe('src 0.0.0.0/0 dst 0.0.0.0/0 proto gre key 65538');
        expect(selectorText({ ...ANY4, proto: 135, sport: 5, sportMask: 0xffff, dport: 7, dportMask: 0xffff }, true)).toBe('src 0.0.0.0/0 dst 0.0.0.0/0 proto mobility-header type 5 uid 0');
    });
});
