import { describe, expect, it } from 'vitest';
import { decodeXfrmUserAcquire, encodeXfrmUserAcquire, XFRM_USER_ACQUIRE_PADDING, XFRM_USER_ACQUIRE_SIZE, xfrmUserAcquireCodec, } from '../../../src/xfrm/structs/user-acquire.js';
import { fromHex } from '../../helpers/hex.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { ID4, ID4_LE, ID6, POL4, POL4_LE, POL6, SEL4, SEL4_LE, SEL6 } from './samples.js';
const ACQ = {
    id: ID4,
    saddr: '198.51.100.7',
    sel: SEL4,
    policy: POL4,
    aalgos: 0xffffffff,
    ealgos: 0x00ff00ff,
    calgos: 0,
    seq: 0x80000001,
};
structSuite({
    name: 'xfrm_user_acquire',
    size: 280,
    sizeConst: XFRM_USER_ACQUIRE_SIZE,
    codec: xfrmUserAcquireCodec,
    encode: encodeXfrmUserAcquire,
    decode: decodeXfrmUserAcquire,
    samples: [ACQ, { ...ACQ, id: ID6, saddr: '2001:db8::4', sel: SEL6, policy: POL6, seq: 0 }],
    padding: XFRM_USER_ACQUIRE_PADDING,
    expectedPadding: [
        [21, 24],
        [85, 88],
        [141, 144],
        [260, 264],
    ],
});
describe('xfrm_user_acquire bytes', () => {
    it('little-endian host (x86_64): 280 bytes', () => {
        const hex = `
      ${ID4_LE}                         # 0   id
      c6336407 000000000000000000000000 # 24  saddr
      ${SEL4_LE}                        # 40  sel
      ${POL4_LE}                        # 96  policy (168 bytes incl. tail padding)
      ffffffff                          # 264 aalgos
      ff00ff00                          # 268 ealgos
      00000000                          # 272 calgos
      01000080                          # 276 seq (host)
    `;
        expect(fromHex(hex).length).toBe(280);
        expectBytes(xfrmUserAcquireCodec, ACQ, hex, true);
    });
    it('policy.sel.family picks the notation of id.daddr and saddr', () => {
        const b = encodeToBytes(xfrmUserAcquireCodec, ACQ, true);
        b[96 + 40] = 10;
        const v = decodeBytes(xfrmUserAcquireCodec, b, true);
        expect(v.id.daddr).toBe('c000:201::');
        expect(v.saddr).toBe('c633:6407::');
        expect(v.sel.daddr).toBe('192.0.2.1');
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserAcquireCodec, ACQ, [
        [{ saddr: '' }, 'xfrm_user_acquire.saddr'],
        [{ policy: { ...POL4, dir: 300 } }, 'xfrm_userpolicy_info.dir'],
        [{ aalgos: -1 }, 'xfrm_user_acquire.aalgos'],
        [{ ealgos: 2 ** 32 }, 'xfrm_user_acquire.ealgos'],
        [{ calgos: 0.1 }, 'xfrm_user_acquire.calgos'],
        [{ seq: -5 }, 'xfrm_user_acquire.seq'],
    ]));
});
