import { describe, expect, it } from 'vitest';
import { decodeXfrmUsersaInfo, encodeXfrmUsersaInfo, XFRM_USERSA_INFO_PADDING, XFRM_USERSA_INFO_SIZE, xfrmUsersaInfoCodec, } from '../../../src/xfrm/structs/usersa-info.js';
import { fromHex } from '../../helpers/hex.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { ID4, LFT, SA4, SA4_LE, SA6, SEL4 } from './samples.js';
structSuite({
    name: 'xfrm_usersa_info',
    size: 224,
    sizeConst: XFRM_USERSA_INFO_SIZE,
    codec: xfrmUsersaInfoCodec,
    encode: encodeXfrmUsersaInfo,
    decode: decodeXfrmUsersaInfo,
    samples: [SA4, SA6],
    padding: XFRM_USERSA_INFO_PADDING,
    expectedPadding: [
        [45, 48],
        [77, 80],
        [217, 224],
    ],
});
describe('xfrm_usersa_info bytes', () => {
    it('little-endian host (x86_64): 224 bytes', () => {
        expect(fromHex(SA4_LE).length).toBe(224);
        expectBytes(xfrmUsersaInfoCodec, SA4, SA4_LE, true);
    });
    it('big-endian host: spi and ports stay BE, counters flip', () => {
        const b = encodeToBytes(xfrmUsersaInfoCodec, SA4, false);
        expect([...b.subarray(72, 76)]).toEqual([0x12, 0x34, 0x56, 0x78]); // id.spi, as verified live at offset 72
        expect([...b.subarray(32, 34)]).toEqual([0x01, 0xbb]); // sel.dport
        expect([...b.subarray(204, 208)]).toEqual([0, 0, 0, 77]); // seq
        expect([...b.subarray(212, 214)]).toEqual([0, 2]); // family
        expect([...b.subarray(104, 112)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // lft.hard_byte_limit
    });
    it('family picks the notation of id.daddr and saddr, sel.family that of the selector', () => {
        const b = encodeToBytes(xfrmUsersaInfoCodec, SA4, true);
        b[212] = 10; // family = AF_INET6, selector still AF_INET
        const v = decodeBytes(xfrmUsersaInfoCodec, b, true);
        expect(v.id.daddr).toBe('c000:201::');
        expect(v.saddr).toBe('c633:6407::');
        expect(v.sel.daddr).toBe('192.0.2.1');
    });
    it('rejects out-of-range fields, naming the nested struct', () => expectEncodeErrors(xfrmUsersaInfoCodec, SA4, [
        [{ sel: { ...SEL4, proto: 300 } }, 'xfrm_selector.proto'],
        [{ id: { ...ID4, spi: 2 ** 32 } }, 'xfrm_id.spi'],
        [{ saddr: '1.1.1' }, 'xfrm_usersa_info.saddr'],
        [{ lft: { ...LFT, softPacketLimit: -1n } }, 'xfrm_lifetime_cfg.soft_packet_limit'],
        [{ curlft: { ...SA4.curlft, packets: -1n } }, 'xfrm_lifetime_cur.packets'],
        [{ stats: { ...SA4.stats, replay: -1 } }, 'xfrm_stats.replay'],
        [{ seq: 2 ** 32 }, 'xfrm_usersa_info.seq'],
        [{ reqid: -1 }, 'xfrm_usersa_info.reqid'],
        [{ family: 0x10000 }, 'xfrm_usersa_info.family'],
        [{ mode: 256 }, 'xfrm_usersa_info.mode'],
        // The kernel clamps replay_window to 32, but the field is a u8: 255 is encodable, 256 not.
        [{ replayWindow: 256 }, 'xfrm_usersa_info.replay_window'],
        [{ flags: 256 }, 'xfrm_usersa_info.flags'],
    ]));
});
