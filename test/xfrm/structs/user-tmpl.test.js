import { describe, expect, it } from 'vitest';
import { decodeXfrmUserTmpl, encodeXfrmUserTmpl, XFRM_USER_TMPL_PADDING, XFRM_USER_TMPL_SIZE, xfrmUserTmplCodec, } from '../../../src/xfrm/structs/user-tmpl.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { ID4, ID4_LE, ID6 } from './samples.js';
const T4 = {
    id: ID4,
    family: 2,
    saddr: '198.51.100.7',
    reqid: 9,
    mode: 1,
    share: 0,
    optional: 0,
    aalgos: 0xffffffff,
    ealgos: 0xffffffff,
    calgos: 0xffffffff,
};
structSuite({
    name: 'xfrm_user_tmpl',
    size: 64,
    sizeConst: XFRM_USER_TMPL_SIZE,
    codec: xfrmUserTmplCodec,
    encode: encodeXfrmUserTmpl,
    decode: decodeXfrmUserTmpl,
    samples: [
        T4,
        { ...T4, id: ID6, family: 10, saddr: '2001:db8::9', mode: 4, share: 3, optional: 1, aalgos: 4, ealgos: 0, calgos: 1 },
        // family 0 = "the policy's family": no hint, notation from the bytes.
        { ...T4, id: { ...ID4, spi: 0 }, family: 0, saddr: '::1' },
    ],
    padding: XFRM_USER_TMPL_PADDING,
    expectedPadding: [
        [21, 24],
        [26, 28],
        [51, 52],
    ],
});
describe('xfrm_user_tmpl bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserTmplCodec, T4, `
      ${ID4_LE}                         # 0  id (spi BE)
      0200                              # 24 family AF_INET
      0000                              # 26 padding
      c6336407 000000000000000000000000 # 28 saddr
      09000000                          # 44 reqid
      01                                # 48 mode TUNNEL
      00                                # 49 share
      00                                # 50 optional
      00                                # 51 padding
      ffffffff                          # 52 aalgos
      ffffffff                          # 56 ealgos
      ffffffff                          # 60 calgos
      `, true));
    it('big-endian host: spi unchanged, reqid and family flip', () => {
        const b = encodeToBytes(xfrmUserTmplCodec, { ...T4, reqid: 0x01020304 }, false);
        expect([...b.subarray(16, 20)]).toEqual([0x12, 0x34, 0x56, 0x78]);
        expect([...b.subarray(24, 26)]).toEqual([0, 2]);
        expect([...b.subarray(44, 48)]).toEqual([1, 2, 3, 4]);
    });
    it('tmpl.family picks the notation of id.daddr and saddr', () => {
        const b = encodeToBytes(xfrmUserTmplCodec, T4, true);
        b[24] = 10;
        const v = decodeBytes(xfrmUserTmplCodec, b, true);
        expect(v.id.daddr).toBe('c000:201::');
        expect(v.saddr).toBe('c633:6407::');
    });
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmUserTmplCodec, T4, [
        [{ id: { ...ID4, spi: -1 } }, 'xfrm_id.spi'],
        [{ id: { ...ID4, daddr: 'bad' } }, 'xfrm_id.daddr'],
        [{ family: 0x10000 }, 'xfrm_user_tmpl.family'],
        [{ saddr: '1.2.3.4.5' }, 'xfrm_user_tmpl.saddr'],
        [{ reqid: 2 ** 32 }, 'xfrm_user_tmpl.reqid'],
        [{ mode: 256 }, 'xfrm_user_tmpl.mode'],
        [{ share: -1 }, 'xfrm_user_tmpl.share'],
        [{ optional: 2.5 }, 'xfrm_user_tmpl.optional'],
        [{ aalgos: -1 }, 'xfrm_user_tmpl.aalgos'],
        [{ ealgos: 2 ** 32 }, 'xfrm_user_tmpl.ealgos'],
        [{ calgos: NaN }, 'xfrm_user_tmpl.calgos'],
    ]));
});
