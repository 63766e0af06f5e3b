/**
 * Human output (close to `ip -s xfrm state` / `ip xfrm policy`) of SAs and policies decoded
 * from real NEWSA/NEWPOLICY bytes, event lines, and key redaction in every output form.
 */
import { describe, expect, test } from 'vitest';
import { completePolicy, policyFromMessage, policyToAttrs, policyToInfo, template } from '../../src/client/policy.js';
import { completeState, stateFromMessage, stateToAttrs, stateToUsersaInfo } from '../../src/client/state.js';
import { eventFromMessage } from '../../src/client/events.js';
import { AF_INET, decodeXfrmMessages, encodeXfrmMessages, IPPROTO_ESP, REDACTED, UDP_ENCAP_ESPINUDP, XFRM_AE_CR, XFRM_MODE_TUNNEL, XFRM_POLICY_OUT, XFRM_SA_DIR_OUT, XFRM_STATE_ESN, } from '../../src/xfrm/index.js';
import { eventJson, formatAe, formatDefaults, formatEvent, formatPolicy, formatSadInfo, formatSpdInfo, formatState, jsonLine, OVERRUN_LINE, redactKeys, timeText, } from '../../src/cli/format.js';
const KEY = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const KEY_HEX = '0x0102030405060708090a0b0c0d0e0f1011121314';
function roundTrip(m) {
    return decodeXfrmMessages(encodeXfrmMessages([{ ...m, flags: 0, seq: 1, pid: 0 }]))[0];
}
function decodedState(input) {
    const s = completeState(input);
    const m = roundTrip({ type: 'XFRM_MSG_NEWSA', body: stateToUsersaInfo(s), attrs: stateToAttrs(s, true) });
    if (m.type !== 'XFRM_MSG_NEWSA')
        throw new Error('not NEWSA');
    return stateFromMessage(m.body, m.attrs);
}
const ESN_SA = {
    saddr: '192.0.2.1',
    daddr: '192.0.2.2',
    spi: 0x1000,
    proto: IPPROTO_ESP,
    mode: XFRM_MODE_TUNNEL,
    reqid: 1,
    aead: { name: 'rfc4106(gcm(aes))', key: KEY, icvLen: 128 },
    replayEsn: { bmpLen: 4, oseq: 41, seq: 0x20, oseqHi: 0, seqHi: 7, replayWindow: 128, bmp: [0x4000, 0, 0, 0x80000000] },
    mark: { v: 7, m: 0xff },
    current: { bytes: 1500n, packets: 10n, addTime: 1700000000n, useTime: 0n },
};
describe('SA output', () => {
    test('ESN AEAD SA, keys redacted', () => {
        const s = decodedState(ESN_SA);
        expect(formatState(s)).toBe([
            'src 192.0.2.1 dst 192.0.2.2',
            '\tproto esp spi 0x00001000(4096) reqid 1(0x00000001) mode tunnel',
            '\treplay-window 0 seq 0x00000000 flag esn (0x10000000)',
            '\tmark 0x7/0xff',
            '\taead rfc4106(gcm(aes)) <redacted> (160 bits) 128',
            '\tanti-replay esn context:',
            '\t seq-hi 0x7, seq 0x20, oseq-hi 0x0, oseq 0x29',
            '\t replay_window 128, bitmap-length 4',
            '\t 80000000 00000000 00000000 00004000',
            '\tsel src 0.0.0.0/0 dst 0.0.0.0/0 uid 0',
            '\tlifetime config:',
            '\t  limit: soft (INF)(bytes), hard (INF)(bytes)',
            '\t  limit: soft (INF)(packets), hard (INF)(packets)',
            '\t  expire add: soft 0(sec), hard 0(sec)',
            '\t  expire use: soft 0(sec), hard 0(sec)',
            '\tlifetime current:',
            '\t  1500(bytes), 10(packets)',
            '\t  add 2023-11-14 22:13:20Z use -',
            '\tstats:',
            '\t  replay-window 0 replay 0 failed 0',
            '',
        ].join('\n'));
        expect(formatState(s, { showKeys: true })).toContain(`\taead rfc4106(gcm(aes)) ${KEY_HEX} (160 bits) 128\n`);
    });
    test('legacy SA with enc + auth-trunc, encap, selector, limits, dir, output mark', () => {
        const s = decodedState({
            saddr: '192.0.2.1',
            daddr: '192.0.2.2',
            spi: 0xc0ffee,
            proto: IPPROTO_ESP,
            reqid: 5,
            replayWindow: 32,
            replay: { oseq: 3, seq: 2, bitmap: 3 },
            crypt: { name: 'cbc(aes)', key: KEY.subarray(0, 16) },
            auth: { name: 'hmac(sha256)', key: KEY, truncLen: 128 },
            encap: { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4500, encapOa: '0.0.0.0' },
            selector: { daddr: '10.0.0.0', saddr: '10.1.0.0', dport: 443, dportMask: 0xffff, sport: 0, sportMask: 0, family: AF_INET, prefixlenD: 8, prefixlenS: 16, proto: 6, ifindex: 0, user: 0 },
            lifetime: {
                softByteLimit: 1000n,
                hardByteLimit: 2000n,
                softPacketLimit: 0xffffffffffffffffn,
                hardPacketLimit: 0xffffffffffffffffn,
                softAddExpiresSeconds: 3000n,
                hardAddExpiresSeconds: 3600n,
                softUseExpiresSeconds: 0n,
                hardUseExpiresSeconds: 0n,
            },
            dir: XFRM_SA_DIR_OUT,
            outputMark: { value: 1, mask: 0xffffffff },
            ifId: 9,
        });
        const text = formatState(s);
        expect(text).toContain('\tproto esp spi 0x00c0ffee(12648430) reqid 5(0x00000005) mode transport\n\treplay-window 32 seq 0x00000000 flag  (0x00000000)\n');
        expect(text).toContain('\toutput-mark 0x1/0xffffffff\n\tauth-trunc hmac(sha256) <redacted> (160 bits) 128\n\tenc cbc(aes) <redacted> (128 bits)\n');
        expect(text).toContain('\tencap type espinudp sport 4500 dport 4500 addr 0.0.0.0\n');
        expect(text).toContain('\tanti-replay context: seq 0x2, oseq 0x3, bitmap 0x00000003\n\tif_id 0x9\n\tdir out\n');
        expect(text).toContain('\tsel src 10.1.0.0/16 dst 10.0.0.0/8 proto tcp dport 443 uid 0\n');
        expect(text).toContain('\t  limit: soft 1000(bytes), hard 2000(bytes)\n');
        expect(text).toContain('\t  expire add: soft 3000(sec), hard 3600(sec)\n');
        expect(text).not.toMatch(/0x0102/);
    });
    test('SAD info and GETAE output', () => {
        expect(formatSadInfo({ count: 3, hashBuckets: 8, maxHashBuckets: 1048576 })).toBe('SAD count 3\nSAD buckets: count 8 Max 1048576\n');
        expect(formatAe({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP }, { flags: 9, reqid: 1, saddr: '192.0.2.1', replay: { oseq: 41, seq: 0, bitmap: 0 }, current: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n }, replayThresh: 5, etimerThresh: 2 })).toBe('src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001000 reqid 1\n' +
            '\tanti-replay context: seq 0x0, oseq 0x29, bitmap 0x00000000\n' +
            '\tlifetime current: 0(bytes), 0(packets), add - use -\n' +
            '\treplay-thresh 5 etimer-thresh 2 (x100 ms)\n');
    });
    test('time text', () => {
        expect(timeText(0n)).toBe('-');
        expect(timeText(1700000000n)).toBe('2023-11-14 22:13:20Z');
    });
});
describe('policy output', () => {
    test('decoded policy with a tunnel template', () => {
        const p = completePolicy({
            selector: { daddr: '192.0.2.2', saddr: '192.0.2.1', dport: 0, dportMask: 0, sport: 0, sportMask: 0, family: AF_INET, prefixlenD: 32, prefixlenS: 32, proto: 0, ifindex: 0, user: 0 },
            dir: XFRM_POLICY_OUT,
            priority: 10,
            index: 9,
            mark: { v: 1, m: 0xffffffff },
            templates: [
                template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', reqid: 1, mode: XFRM_MODE_TUNNEL }),
                template({ proto: 108, optional: true, spi: 0x1234 }),
            ],
        });
        const m = roundTrip({ type: 'XFRM_MSG_NEWPOLICY', body: policyToInfo(p), attrs: policyToAttrs(p) });
        if (m.type !== 'XFRM_MSG_NEWPOLICY')
            throw new Error();
        expect(formatPolicy(policyFromMessage(m.body, m.attrs))).toBe([
            'src 192.0.2.1/32 dst 192.0.2.2/32 uid 0',
            '\tdir out action allow index 9 priority 10 ptype main share any flag  (0x00000000)',
            '\tlifetime config:',
            '\t  limit: soft (INF)(bytes), hard (INF)(bytes)',
            '\t  limit: soft (INF)(packets), hard (INF)(packets)',
            '\t  expire add: soft 0(sec), hard 0(sec)',
            '\t  expire use: soft 0(sec), hard 0(sec)',
            '\tlifetime current:',
            '\t  0(bytes), 0(packets)',
            '\t  add - use -',
            '\tmark 0x1/0xffffffff',
            '\ttmpl src 192.0.2.1 dst 192.0.2.2',
            '\t\tproto esp spi 0x00000000(0) reqid 1(0x00000001) mode tunnel',
            '\t\tlevel required share any',
            '\t\tenc-mask ffffffff auth-mask ffffffff comp-mask ffffffff',
            '\ttmpl src 0.0.0.0 dst 0.0.0.0',
            '\t\tproto comp spi 0x00001234(4660) reqid 0(0x00000000) mode transport',
            '\t\tlevel use share any',
            '\t\tenc-mask ffffffff auth-mask ffffffff comp-mask ffffffff',
            '',
        ].join('\n'));
    });
    test('SPD info and defaults', () => {
        expect(formatSpdInfo({
            counts: { incnt: 1, outcnt: 2, fwdcnt: 0, inscnt: 0, outscnt: 0, fwdscnt: 0 },
            hash: { spdhcnt: 7, spdhmcnt: 1048576 },
            ipv4Thresh: { lbits: 32, rbits: 32 },
            ipv6Thresh: { lbits: 128, rbits: 128 },
        })).toBe('SPD IN  1 OUT 2 FWD 0 (Sock: IN 0 OUT 0 FWD 0)\nSPD buckets: count 7 Max 1048576\nSPD IPv4 thresholds: 32 32\nSPD IPv6 thresholds: 128 128\n');
        expect(formatDefaults({ in: 2, fwd: 1, out: 2 })).toBe('Default policies:\n in:  accept\n fwd: block\n out: accept\n');
    });
});
describe('key redaction everywhere', () => {
    test('JSON lines of an SA: keys redacted unless showKeys, field names of XfrmState', () => {
        const s = decodedState(ESN_SA);
        const red = JSON.parse(jsonLine(s));
        expect(red.aead).toEqual({ name: 'rfc4106(gcm(aes))', key: REDACTED, icvLen: 128 });
        expect(red.current).toEqual({ bytes: '1500', packets: '10', addTime: '1700000000', useTime: '0' });
        expect(red.replayEsn.oseq).toBe(41);
        expect(jsonLine(s)).not.toContain('0102030405');
        expect(JSON.parse(jsonLine(s, { showKeys: true })).aead.key).toBe(KEY_HEX);
    });
    test('raw attributes (algKey) and nested values are redacted too; the input is not modified', () => {
        const v = { attrs: [{ type: 'XFRMA_ALG_CRYPT', value: { algName: 'cbc(aes)', algKey: KEY, algKeyLen: 160 } }], auth: { name: 'x', key: KEY }, other: KEY };
        const r = redactKeys(v);
        expect(r.attrs[0].value.algKey).toBe(REDACTED);
        expect(r.auth.key).toBe(REDACTED);
        expect(r.other).toBe(KEY); // not key material by name
        expect(v.auth.key).toBe(KEY);
    });
    test('events: SA notifications in human and JSON form never show keys', () => {
        const s = completeState(ESN_SA);
        const msg = { type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(s), attrs: stateToAttrs(s) };
        const ev = eventFromMessage(msg);
        expect(formatEvent(ev)).toBe('newsa src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001000 reqid 1 mode tunnel mark 0x7/0xff');
        const j = jsonLine(eventJson(ev));
        expect(j).not.toContain('0102030405');
        expect(JSON.parse(j)).toMatchObject({ kind: 'newsa', state: { aead: { key: REDACTED }, flags: XFRM_STATE_ESN } });
        expect(JSON.parse(j).message).toBeUndefined();
    });
});
describe('event lines', () => {
    test('one line per kind', () => {
        const s = completeState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, reqid: 1 });
        const info = stateToUsersaInfo(s);
        const ev = (m) => formatEvent(eventFromMessage({ flags: 0, seq: 0, pid: 0, attrs: [], ...m }));
        expect(ev({ type: 'XFRM_MSG_EXPIRE', body: { state: info, hard: 1 } })).toBe('expire hard src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001000 reqid 1 mode transport');
        expect(ev({ type: 'XFRM_MSG_DELSA', body: { daddr: '192.0.2.2', spi: 0x1000, family: AF_INET, proto: IPPROTO_ESP } })).toBe('delsa dst 192.0.2.2 proto esp spi 0x00001000');
        expect(ev({ type: 'XFRM_MSG_FLUSHSA', body: { proto: 255 } })).toBe('flushsa proto any');
        expect(ev({ type: 'XFRM_MSG_FLUSHPOLICY', body: null })).toBe('flushpolicy');
        expect(ev({
            type: 'XFRM_MSG_NEWAE',
            body: { saId: { daddr: '192.0.2.2', spi: 0x1000, family: AF_INET, proto: IPPROTO_ESP }, saddr: '192.0.2.1', flags: XFRM_AE_CR, reqid: 1 },
            attrs: [{ type: 'XFRMA_REPLAY_VAL', value: { oseq: 0, seq: 100, bitmap: 1 } }],
        })).toBe('aevent src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001000 reqid 1 seq 0x64 oseq 0x0 bitmap 0x00000001 (replay-update)');
        expect(formatEvent({ kind: 'overrun' })).toBe(OVERRUN_LINE);
        expect(OVERRUN_LINE).toMatch(/OVERRUN.*resynchronise/);
    });
});
