import { describe, expect, test } from 'vitest';
import { NetlinkDecodeError, NetlinkEncodeError, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from '../../src/netlink/index.js';
import { AF_INET, AF_INET6, IPPROTO_ESP, XFRM_INF, XFRM_MESSAGE_SPECS, XFRM_MODE_TUNNEL, XFRM_MSG_BASE, XFRM_MSG_MAX, XFRM_STATE_ESN, decodeXfrmMessages, encodeXfrmMessages, xfrmMessageFromJson, xfrmFamily, xfrmMessageToJson, xfrmMsgName, } from '../../src/xfrm/index.js';
import { fromHex, prng, toHex } from '../helpers/hex.js';
const lft = {
    softByteLimit: XFRM_INF,
    hardByteLimit: XFRM_INF,
    softPacketLimit: XFRM_INF,
    hardPacketLimit: XFRM_INF,
    softAddExpiresSeconds: 0n,
    hardAddExpiresSeconds: 3600n,
    softUseExpiresSeconds: 0n,
    hardUseExpiresSeconds: 0n,
};
const sel = { daddr: '0.0.0.0', saddr: '0.0.0.0', dport: 0, dportMask: 0, sport: 0, sportMask: 0, family: AF_INET, prefixlenD: 0, prefixlenS: 0, proto: 0, ifindex: 0, user: 0 };
export const newsa = {
    type: 'XFRM_MSG_NEWSA',
    flags: NLM_F_REQUEST | NLM_F_ACK,
    seq: 9,
    pid: 0,
    body: {
        sel,
        id: { daddr: '198.51.100.2', spi: 0xc0ffee01, proto: IPPROTO_ESP },
        saddr: '192.0.2.1',
        lft,
        curlft: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n },
        stats: { replayWindow: 0, replay: 0, integrityFailed: 0 },
        seq: 0,
        reqid: 7,
        family: AF_INET,
        mode: XFRM_MODE_TUNNEL,
        replayWindow: 0,
        flags: XFRM_STATE_ESN,
    },
    attrs: [
        { type: 'XFRMA_ALG_AEAD', value: { algName: 'rfc4106(gcm(aes))', algKeyLen: 160, algIcvLen: 128, algKey: new Uint8Array(20).fill(7) } },
        { type: 'XFRMA_REPLAY_ESN_VAL', value: { bmpLen: 4, oseq: 0xfffffffe, seq: 0x20, oseqHi: 0, seqHi: 7, replayWindow: 128, bmp: [1, 2, 3, 0x80000000] } },
        { type: 'XFRMA_MARK', value: { v: 5, m: 0xffffffff } },
        { type: 'XFRMA_IF_ID', value: 42 },
        { type: 'XFRMA_SA_DIR', value: 2 },
        { type: 'XFRMA_LTIME_VAL', value: { bytes: 1n, packets: 2n, addTime: 1700000000n, useTime: 0n } },
        { type: 77, value: Uint8Array.of(1, 2, 3) },
    ],
};
describe('message table', () => {
    test('every type from XFRM_MSG_BASE to XFRM_MSG_MAX has exactly one spec', () => {
        const types = XFRM_MESSAGE_SPECS.map((s) => s.type).sort((a, b) => a - b);
        const all = Array.from({ length: XFRM_MSG_MAX - XFRM_MSG_BASE + 1 }, (_, i) => i + XFRM_MSG_BASE);
        expect(types).toEqual(all);
        expect(xfrmMsgName(0x10)).toBe('XFRM_MSG_NEWSA');
        expect(xfrmMsgName(0x29)).toBe('XFRM_MSG_MIGRATE_STATE');
    });
});
describe('xfrmFamily.headerSize', () => {
    // Sizes of xfrm_msg_min[type] on x86-64 (the kernel ABI notes), written out rather than read
    // from the struct codecs, so a codec of the wrong size fails here.
    const type = (name) => XFRM_MESSAGE_SPECS.find((s) => s.name === name).type;
    test.each([
        ['XFRM_MSG_NEWSA', 224], // xfrm_usersa_info
        ['XFRM_MSG_DELSA', 24], // xfrm_usersa_id
        ['XFRM_MSG_NEWPOLICY', 168], // xfrm_userpolicy_info
        ['XFRM_MSG_GETPOLICY', 64], // xfrm_userpolicy_id
        ['XFRM_MSG_ALLOCSPI', 232], // xfrm_userspi_info
        ['XFRM_MSG_POLEXPIRE', 176], // xfrm_user_polexpire
        ['XFRM_MSG_FLUSHSA', 1], // xfrm_usersa_flush
        ['XFRM_MSG_FLUSHPOLICY', 0], // no fixed header
        ['XFRM_MSG_GETAE', 48], // xfrm_aevent_id
        ['XFRM_MSG_GETSPDINFO', 4], // u32 flags
        ['XFRM_MSG_SETDEFAULT', 3], // xfrm_userpolicy_default
        ['XFRM_MSG_MIGRATE_STATE', 132], // xfrm_user_migrate_state
    ])('%s: %i bytes', (name, size) => {
        expect(xfrmFamily.headerSize(type(name), NLM_F_REQUEST | NLM_F_ACK)).toBe(size);
    });
    test('GETSA/GETPOLICY dump requests carry their attributes right after nlmsghdr; other types ignore the flag', () => {
        expect(xfrmFamily.headerSize(type('XFRM_MSG_GETSA'), NLM_F_REQUEST)).toBe(24);
        expect(xfrmFamily.headerSize(type('XFRM_MSG_GETSA'), NLM_F_REQUEST | NLM_F_DUMP)).toBe(0);
        expect(xfrmFamily.headerSize(type('XFRM_MSG_GETPOLICY'), NLM_F_REQUEST | NLM_F_DUMP)).toBe(0);
        expect(xfrmFamily.headerSize(type('XFRM_MSG_NEWSA'), NLM_F_REQUEST | NLM_F_DUMP)).toBe(224);
    });
    test('a type the family does not know has no size', () => {
        expect(xfrmFamily.headerSize(XFRM_MSG_MAX + 1, 0)).toBeUndefined();
        expect(xfrmFamily.headerSize(0x02, 0)).toBeUndefined(); // NLMSG_ERROR: not an XFRM type
    });
});
describe.each([true, false])('NEWSA round trip (le=%s)', (le) => {
    test('decode(encode(m)) equals m, and JSON survives', () => {
        const bytes = encodeXfrmMessages([newsa], le);
        // 16 header + 224 body + AEAD 4+72+20 + ESN 4+24+16 + MARK 12 + IF_ID 8 + SA_DIR 8 + LTIME 36 + unknown 8
        expect(bytes.length).toBe(16 + 224 + 96 + 44 + 12 + 8 + 8 + 36 + 8);
        expect(decodeXfrmMessages(bytes, le)).toEqual([newsa]);
        const json = JSON.parse(JSON.stringify(xfrmMessageToJson(newsa, { showKeys: true })));
        expect(json.body.lft.softByteLimit).toBe('18446744073709551615');
        expect(json.attrs[0].value.algKey).toBe('0x' + '07'.repeat(20));
        expect(xfrmMessageFromJson(json)).toEqual(newsa);
        expect(toHex(encodeXfrmMessages([xfrmMessageFromJson(json)], le))).toBe(toHex(bytes));
    });
    test('the SPI is big-endian whatever the host order', () => {
        const bytes = encodeXfrmMessages([newsa], le);
        expect(toHex(bytes.subarray(16 + 72, 16 + 76))).toBe('c0ffee01');
    });
});
test('keys are redacted unless asked for', () => {
    const json = xfrmMessageToJson(newsa);
    expect(json.attrs[0].value.algKey).toBe('<redacted>');
    expect(() => xfrmMessageFromJson(JSON.parse(JSON.stringify(json)))).toThrow(/redacted/);
});
describe('FLUSHSA, hand-annotated', () => {
    const bytes = fromHex(`
    11 00 00 00   # nlmsg_len = 17: iproute2 does not pad a 1-byte body
    1c 00         # XFRM_MSG_FLUSHSA
    05 00         # NLM_F_REQUEST | NLM_F_ACK
    01 00 00 00   # seq 1
    00 00 00 00   # pid 0
    32            # xfrm_usersa_flush.proto = IPPROTO_ESP
  `);
    test('decodes with its unpadded length and re-encodes exactly', () => {
        const ms = decodeXfrmMessages(bytes, true);
        expect(ms).toEqual([{ type: 'XFRM_MSG_FLUSHSA', flags: 5, seq: 1, pid: 0, len: 17, body: { proto: 50 }, attrs: [] }]);
        expect(toHex(encodeXfrmMessages(ms, true))).toBe(toHex(bytes));
    });
    test('without len the encoder pads like the kernel (nlmsg_len 20)', () => {
        const m = { type: 'XFRM_MSG_FLUSHSA', flags: 5, seq: 1, pid: 0, body: { proto: 50 }, attrs: [] };
        expect(toHex(encodeXfrmMessages([m], true))).toBe(toHex(bytes).replace(/^11/, '14') + '000000');
    });
});
describe('GETSA dump requests', () => {
    test('attributes right after nlmsghdr (no header)', () => {
        const m = {
            type: 'XFRM_MSG_GETSA',
            flags: NLM_F_REQUEST | NLM_F_DUMP,
            seq: 3,
            pid: 0,
            body: null,
            attrs: [
                { type: 'XFRMA_PROTO', value: IPPROTO_ESP },
                { type: 'XFRMA_ADDRESS_FILTER', value: { saddr: '2001:db8::1', daddr: '2001:db8::', family: AF_INET6, splen: 128, dplen: 32 } },
            ],
        };
        const bytes = encodeXfrmMessages([m], true);
        expect(bytes.length).toBe(16 + 8 + 40);
        expect(decodeXfrmMessages(bytes, true)).toEqual([m]);
    });
    test('a zeroed xfrm_usersa_id before the attributes', () => {
        const m = {
            type: 'XFRM_MSG_GETSA',
            flags: NLM_F_REQUEST | NLM_F_DUMP,
            seq: 3,
            pid: 0,
            body: { daddr: '0.0.0.0', spi: 0, family: 0, proto: 0 },
            attrs: [{ type: 'XFRMA_PROTO', value: IPPROTO_ESP }],
        };
        expect(decodeXfrmMessages(encodeXfrmMessages([m], true), true)).toEqual([m]);
    });
    test('an unparseable payload is kept raw', () => {
        const bytes = fromHex('20000000 1500 0103 01000000 00000000' + '00'.repeat(16));
        const ms = decodeXfrmMessages(bytes, true);
        expect(ms[0].payload).toEqual(new Uint8Array(16));
        expect(toHex(encodeXfrmMessages(ms, true))).toBe(toHex(bytes));
    });
});
describe('malformed XFRM messages', () => {
    test('a truncated header names the struct and the offset', () => {
        const bytes = encodeXfrmMessages([newsa], true).slice(0, 16 + 100);
        new DataView(bytes.buffer).setUint32(0, 116, true);
        expect(() => decodeXfrmMessages(bytes, true)).toThrow(new NetlinkDecodeError('xfrm_usersa_info', 16, 'truncated: need 224 bytes, have 100 (in XFRM_MSG_NEWSA at offset 0)'));
    });
    test('an alg_key_len that disagrees with the payload', () => {
        const bytes = encodeXfrmMessages([newsa], true);
        const dv = new DataView(bytes.buffer);
        dv.setUint32(16 + 224 + 4 + 64, 4000, true); // AEAD alg_key_len = 4000 bits
        expect(() => decodeXfrmMessages(bytes, true)).toThrow(NetlinkDecodeError);
        expect(() => decodeXfrmMessages(bytes, true)).toThrow(/XFRMA_ALG_AEAD/);
    });
    test('random mutations never throw anything but NetlinkDecodeError', () => {
        const base = encodeXfrmMessages([newsa], true);
        const rand = prng(1234);
        let decoded = 0;
        for (let i = 0; i < 3000; i++) {
            const b = base.slice(0, 16 + Math.floor(rand() * (base.length - 16 + 1)));
            const n = 1 + Math.floor(rand() * 4);
            for (let k = 0; k < n; k++)
                b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
            try {
                decodeXfrmMessages(b, true);
                decoded++;
            }
            catch (e) {
                if (!(e instanceof NetlinkDecodeError))
                    throw e;
            }
        }
        expect(decoded).toBeGreaterThan(0);
    });
    test('encoding a message without its header fails clearly', () => {
        expect(() => encodeXfrmMessages([{ ...newsa, body: null }], true)).toThrow(NetlinkEncodeError);
    });
});
