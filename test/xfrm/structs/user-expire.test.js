import { describe, expect, it } from 'vitest';
import { decodeXfrmUserExpire, encodeXfrmUserExpire, XFRM_USER_EXPIRE_PADDING, XFRM_USER_EXPIRE_SIZE, xfrmUserExpireCodec, } from '../../../src/xfrm/structs/user-expire.js';
import { fromHex } from '../../helpers/hex.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SA4, SA4_LE, SA6 } from './samples.js';
structSuite({
    name: 'xfrm_user_expire',
    size: 232,
    sizeConst: XFRM_USER_EXPIRE_SIZE,
    codec: xfrmUserExpireCodec,
    encode: encodeXfrmUserExpire,
    decode: decodeXfrmUserExpire,
    samples: [
        { state: SA4, hard: 1 },
        { state: SA6, hard: 0 },
    ],
    padding: XFRM_USER_EXPIRE_PADDING,
    expectedPadding: [
        [45, 48],
        [77, 80],
        [217, 224],
        [225, 232],
    ],
});
describe('xfrm_user_expire bytes', () => {
    it('little-endian host (x86_64): hard at offset 224', () => {
        const hex = `
      ${SA4_LE}      # 0   state
      01             # 224 hard
      00000000000000 # 225 tail padding
    `;
        expect(fromHex(hex).length).toBe(232);
        expectBytes(xfrmUserExpireCodec, { state: SA4, hard: 1 }, hex, true);
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserExpireCodec, { state: SA4, hard: 0 }, [
        [{ hard: 256 }, 'xfrm_user_expire.hard'],
        [{ state: { ...SA4, seq: -1 } }, 'xfrm_usersa_info.seq'],
    ]));
});
