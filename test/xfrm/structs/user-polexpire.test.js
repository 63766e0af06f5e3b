import { describe, expect, it } from 'vitest';
import { decodeXfrmUserPolexpire, encodeXfrmUserPolexpire, XFRM_USER_POLEXPIRE_PADDING, XFRM_USER_POLEXPIRE_SIZE, xfrmUserPolexpireCodec, } from '../../../src/xfrm/structs/user-polexpire.js';
import { fromHex } from '../../helpers/hex.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { POL4, POL4_LE, POL6 } from './samples.js';
structSuite({
    name: 'xfrm_user_polexpire',
    size: 176,
    sizeConst: XFRM_USER_POLEXPIRE_SIZE,
    codec: xfrmUserPolexpireCodec,
    encode: encodeXfrmUserPolexpire,
    decode: decodeXfrmUserPolexpire,
    samples: [
        { pol: POL4, hard: 1 },
        { pol: POL6, hard: 0 },
    ],
    padding: XFRM_USER_POLEXPIRE_PADDING,
    expectedPadding: [
        [45, 48],
        [164, 168],
        [169, 176],
    ],
});
describe('xfrm_user_polexpire bytes', () => {
    it('little-endian host (x86_64): hard at offset 168', () => {
        const hex = `
      ${POL4_LE}     # 0   pol
      01             # 168 hard
      00000000000000 # 169 tail padding
    `;
        expect(fromHex(hex).length).toBe(176);
        expectBytes(xfrmUserPolexpireCodec, { pol: POL4, hard: 1 }, hex, true);
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserPolexpireCodec, { pol: POL4, hard: 0 }, [
        [{ hard: -1 }, 'xfrm_user_polexpire.hard'],
        [{ pol: { ...POL4, priority: -1 } }, 'xfrm_userpolicy_info.priority'],
    ]));
});
